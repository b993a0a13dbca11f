import { ruleTable } from './harness';

ruleTable('pv-claim-ref');
