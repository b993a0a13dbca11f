import { ruleTable } from './harness';

ruleTable('sts-max-unavailable');
