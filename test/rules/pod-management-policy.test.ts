import { ruleTable } from './harness';

ruleTable('pod-management-policy');
