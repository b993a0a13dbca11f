/** Cassandra "Adding/Removing nodes": one node at a time; decommission streams a node's ranges away; cleanup after. */
import type { SystemRunbook } from '../runbook';

export const cassandraRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply', why: 'one node at a time, auto_bootstrap on, the node not in its own seed list' },
    { kind: 'manual', text: `wait until ${w.pod} shows UN in kubectl exec -n ${w.change.namespace} ${w.anchor} -- nodetool status` },
    { kind: 'manual', text: 'run nodetool cleanup on every other node, one at a time' },
  ],
  down: (w) => [
    { kind: 'exec', pod: w.pod, command: ['nodetool', 'decommission'], why: 'streams its ranges to the others; wait until it ends' },
    { kind: 'apply' },
    { kind: 'manual', text: 'annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge' },
  ],
};
