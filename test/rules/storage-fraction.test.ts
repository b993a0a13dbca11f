import { ruleTable } from './harness';

ruleTable('storage-fraction');
