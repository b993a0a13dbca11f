/** Elasticsearch "Voting configuration exclusions": exclude a master-eligible node before it goes. */
import type { SystemRunbook } from '../runbook';

export const elasticsearchMasterRunbook: SystemRunbook = {
  up: () => [
    {
      kind: 'apply',
      why: 'the new master-eligible node joins through discovery.seed_hosts (never change cluster.initial_master_nodes of a formed cluster)',
    },
  ],
  down: (w) => [
    { kind: 'exec', pod: w.anchor, command: ['curl', '-X', 'POST', `localhost:9200/_cluster/voting_config_exclusions?node_names=${w.pod}`] },
    { kind: 'apply' },
    { kind: 'exec', pod: w.anchor, command: ['curl', '-X', 'DELETE', 'localhost:9200/_cluster/voting_config_exclusions'] },
  ],
};
