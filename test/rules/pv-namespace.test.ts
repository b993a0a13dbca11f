import { ruleTable } from './harness';

ruleTable('pv-namespace');
