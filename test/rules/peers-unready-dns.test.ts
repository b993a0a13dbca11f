import { ruleTable } from './harness';

ruleTable('peers-unready-dns');
