import { ruleTable } from './harness';

ruleTable('pdb-blocks-drain');
