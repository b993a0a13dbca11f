import { ruleTable } from './harness';

ruleTable('sts-service');
