import { ruleTable } from './harness';

ruleTable('vct-mount');
