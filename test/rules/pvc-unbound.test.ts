import { ruleTable } from './harness';

ruleTable('pvc-unbound');
