import { ruleTable } from './harness';

ruleTable('rollout-outpaces-rejoin');
