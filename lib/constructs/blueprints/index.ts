/** Cluster blueprints: StatefulApps that encode what an operator of each system knows, for one revision. */
export * from './cluster';
export * from './cassandra';
export * from './etcd';
export * from './kafka';
export * from './rabbitmq';
export * from './zookeeper';
export * from './redis';
export * from './mongodb';
