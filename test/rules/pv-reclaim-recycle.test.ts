import { ruleTable } from './harness';

ruleTable('pv-reclaim-recycle');
