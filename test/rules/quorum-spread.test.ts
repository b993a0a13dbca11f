import { ruleTable } from './harness';

ruleTable('quorum-spread');
