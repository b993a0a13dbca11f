import { ruleTable } from './harness';

ruleTable('pdb-overlap');
