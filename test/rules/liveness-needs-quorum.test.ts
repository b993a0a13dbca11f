import { ruleTable } from './harness';

ruleTable('liveness-needs-quorum');
