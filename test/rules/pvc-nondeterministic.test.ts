import { ruleTable } from './harness';

ruleTable('pvc-nondeterministic');
