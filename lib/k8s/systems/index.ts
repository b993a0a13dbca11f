/** What the operators of stateful systems know, as facts the rules ask: identity, quorum, member lists, budgets. */
export * from './cassandra';
export * from './config';
export * from './disruption';
export * from './identify';
export * from './kafka';
export * from './members';
export * from './peer-dns';
export * from './quorum';
export * from './probes';
export * from './rabbitmq';
export * from './runbook';
export * from './zookeeper';
