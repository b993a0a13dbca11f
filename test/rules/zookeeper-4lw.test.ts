import { ruleTable } from './harness';

ruleTable('zookeeper-4lw');
