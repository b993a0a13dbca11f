/** What the operators of stateful systems know, as facts the rules ask: identity, quorum, member lists, budgets. */
export * from './config';
export * from './disruption';
export * from './etcd';
export * from './identify';
export * from './members';
export * from './peer-dns';
export * from './quorum';
export * from './probes';
export * from './runbook';
