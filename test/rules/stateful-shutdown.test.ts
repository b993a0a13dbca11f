import { ruleTable } from './harness';

ruleTable('stateful-shutdown');
