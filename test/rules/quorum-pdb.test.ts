import { ruleTable } from './harness';

ruleTable('quorum-pdb');
