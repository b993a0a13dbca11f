/**
 * Cassandra docs "Adding, replacing, moving and removing nodes": one node at a time; a new node (not a seed,
 * auto_bootstrap on) streams its ranges and shows UN in `nodetool status` once it has joined; then every node that
 * gave up ranges runs `nodetool cleanup`, one at a time. `nodetool decommission` streams a leaving node's ranges
 * away before its pod goes. `nodetool status` lists addresses, so the new node's address is looked up by its name.
 */
import type { RunbookStep, SystemRunbook } from '../runbook';

export const cassandraRunbook: SystemRunbook = {
  up: (w) => {
    const others: RunbookStep[] = [];
    for (let ordinal = w.change.anchorOrdinal; ordinal < w.change.ordinal; ordinal += 1) {
      others.push({ kind: 'exec', pod: `${w.change.statefulSet}-${ordinal}`, command: ['nodetool', 'cleanup'], why: 'drops the ranges it gave to the new node' });
    }
    return [
      { kind: 'apply', why: 'one node at a time: it bootstraps because it is not a seed and auto_bootstrap is on' },
      {
        kind: 'exec', pod: w.anchor, command: ['sh', '-c',
          `ip=$(getent hosts ${w.fqdn} | cut -d' ' -f1); until [ -n "$ip" ] && nodetool status | grep -q "^UN  *$ip "; do sleep 10; ip=$(getent hosts ${w.fqdn} | cut -d' ' -f1); done`],
        why: `waits until ${w.pod} is Up and Normal`,
      },
      ...others,
      { kind: 'manual', text: 'run nodetool cleanup on the nodes of the other racks of the datacenter too, one at a time' },
    ];
  },
  down: (w) => [
    { kind: 'exec', pod: w.pod, command: ['nodetool', 'decommission'], why: 'streams its ranges to the others; returns when it has left the ring' },
    { kind: 'manual', text: 'annotate the StatefulSet cdk8s-stateful.io/data-moved: "true" to acknowledge' },
    { kind: 'apply', why: `a decommissioned node refuses to rejoin on its old data: the claims of ${w.pod} must go with it` },
  ],
};
