import { ruleTable } from './harness';

ruleTable('sts-name-length');
