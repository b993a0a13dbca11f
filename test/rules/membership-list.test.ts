import { ruleTable } from './harness';

ruleTable('membership-list');
