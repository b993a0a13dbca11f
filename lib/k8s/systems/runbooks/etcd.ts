/** etcd "Runtime reconfiguration": add as a learner, start it, promote; remove before the pod goes. */
import type { SystemRunbook } from '../runbook';

export const etcdRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'exec', pod: w.anchor, command: ['etcdctl', 'member', 'add', w.pod, '--learner', `--peer-urls=http://${w.fqdn}:2380`] },
    { kind: 'apply', why: `${w.pod} must start with initial-cluster-state existing and the member list etcdctl printed` },
    { kind: 'manual', text: `kubectl exec -n ${w.change.namespace} ${w.anchor} -- etcdctl member promote <id of ${w.pod} from etcdctl member list> once it has caught up` },
  ],
  down: (w) => [
    { kind: 'manual', text: `kubectl exec -n ${w.change.namespace} ${w.anchor} -- etcdctl member remove <id of ${w.pod} from etcdctl member list>` },
    { kind: 'apply' },
    { kind: 'manual', text: `delete the claims of ${w.pod} (a removed member must never restart on its old data)` },
  ],
};
