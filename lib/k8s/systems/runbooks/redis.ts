/**
 * Redis Cluster tutorial ("Add a new node", "Add a new node as a replica", "Remove a node"): a new pod joins with
 * `redis-cli --cluster add-node` once it runs; a leaving pod hands its slots over and is forgotten before it goes.
 * Several pods may come or go in one revision (a master and its replicas form the natural unit).
 */
import { redisAddNodeScript, redisRemoveNodeScript } from '../redis';
import type { SystemRunbook } from '../runbook';

export const redisRunbook: SystemRunbook = {
  together: true,
  up: (w) => [
    { kind: 'apply', why: `${w.pod} starts as an empty node` },
    {
      kind: 'exec', pod: w.anchor, command: ['sh', '-c', redisAddNodeScript(w.fqdn, w.anchorFqdn)],
      why: `add ${w.pod}: as a replica while a master has fewer replicas than another, else as a master that takes its share of the slots`,
    },
  ],
  down: (w) => [
    {
      kind: 'exec', pod: w.anchor, command: ['sh', '-c', redisRemoveNodeScript(w.fqdn, w.anchorFqdn)],
      why: `move the slots of ${w.pod} to the other masters, then forget and reset it`,
    },
    { kind: 'apply' },
  ],
};
