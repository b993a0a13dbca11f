/** Cluster blueprints: StatefulApps that encode what an operator of each system knows, for one revision. */
export * from './cluster';
export * from './redis';
export * from './mongodb';
