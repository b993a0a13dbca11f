import { ruleTable } from './harness';

ruleTable('sts-selector');
