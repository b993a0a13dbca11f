import { ruleTable } from './harness';

ruleTable('pvc-class-unset');
