/**
 * etcd "Runtime reconfiguration" with learners (3.4+): add the member as a learner, start its pod, promote it once
 * it has caught up; remove a member before its pod goes. Every step runs as printed: the member id is looked up with
 * `etcdctl member list` in `sh` (built-ins only), and etcdctl reaches the cluster through the pod's own environment
 * (ETCDCTL_ENDPOINTS in an EtcdCluster pod, 127.0.0.1:2379 otherwise).
 */
import { ETCD_PORTS, etcdMemberIdPipeline } from '../etcd';
import type { RunbookWords, SystemRunbook } from '../runbook';

/** Promote attempts; each waits up to 2 s for the learner to answer before the next. */
const PROMOTE_ATTEMPTS = 150;

export const etcdRunbook: SystemRunbook = {
  up: (w) => [
    { kind: 'exec', pod: w.anchor, command: ['etcdctl', 'member', 'add', w.pod, '--learner', `--peer-urls=${peerUrl(w)}`] },
    { kind: 'apply', why: `${w.pod} starts with initial-cluster-state existing and joins as a learner` },
    { kind: 'exec', pod: w.anchor, command: ['sh', '-c', promoteScript(w)], why: 'retried until the learner has caught up with the leader' },
  ],
  down: (w) => [
    { kind: 'exec', pod: w.anchor, command: ['sh', '-c', removeScript(w)] },
    { kind: 'apply' },
    {
      kind: 'manual',
      text: `delete the claims of ${w.pod} unless the StatefulSet's persistentVolumeClaimRetentionPolicy deletes them ` +
        '(whenScaled: Delete): a removed member must never restart on its old data',
    },
  ],
};

function scheme(w: RunbookWords): string {
  return w.change.tls === true ? 'https' : 'http';
}

function peerUrl(w: RunbookWords): string {
  return `${scheme(w)}://${w.fqdn}:${ETCD_PORTS.peer}`;
}

function lookup(w: RunbookWords): string {
  return `set -- $(${etcdMemberIdPipeline(w.pod, `${w.fqdn}:${ETCD_PORTS.peer}`)})`;
}

function promoteScript(w: RunbookWords): string {
  const clientUrl = `${scheme(w)}://${w.fqdn}:${ETCD_PORTS.client}`;
  return `i=0; while [ "$i" -lt ${PROMOTE_ATTEMPTS} ]; do ${lookup(w)}; ` +
    `if [ "$2" = false ]; then echo "${w.pod} is a voting member"; exit 0; fi; ` +
    'if [ -n "$1" ] && etcdctl member promote "$1"; then exit 0; fi; ' +
    `etcdctl --command-timeout=2s --endpoints=${clientUrl} endpoint status >/dev/null 2>&1; i=$((i + 1)); done; ` +
    `echo "${w.pod} is still a learner after ${PROMOTE_ATTEMPTS} attempts: check that its pod runs, and its log" >&2; exit 1`;
}

function removeScript(w: RunbookWords): string {
  return `${lookup(w)}; if [ -z "$1" ]; then echo "${w.pod} is not a member: nothing to remove"; exit 0; fi; ` +
    'etcdctl member remove "$1"';
}
