/** ZooKeeper Administrator's Guide: a static ensemble needs a rolling restart; 3.5+ `reconfig` changes it live. */
import type { SystemRunbook } from '../runbook';

export const zookeeperRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'apply', why: `with ${w.pod} in every server's server.N list` },
    {
      kind: 'manual',
      text: 'restart the existing servers one at a time (followers first, the leader last), each time waiting until ' +
        '"echo srvr | nc localhost 2181" shows it as follower or leader; or with reconfigEnabled: ' +
        `kubectl exec -n ${w.change.namespace} ${w.anchor} -- zkCli.sh reconfig -add "server.<id>=${w.fqdn}:2888:3888;2181"`,
    },
  ],
  down: (w) => [
    {
      kind: 'manual',
      text: `with reconfigEnabled: kubectl exec -n ${w.change.namespace} ${w.anchor} -- zkCli.sh reconfig -remove <id of ${w.pod}>; ` +
        `otherwise apply the new revision (replicas lowered by one) without ${w.pod} in server.N`,
    },
    { kind: 'manual', text: 'restart the remaining servers one at a time (followers first, the leader last), waiting for each to rejoin' },
  ],
};
