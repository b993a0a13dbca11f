import { ruleTable } from './harness';

ruleTable('peer-dns');
