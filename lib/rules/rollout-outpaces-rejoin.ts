import { probesOf, SYSTEM_NAMES } from '../k8s/systems';
import { defineRule } from '../core/rule';
import { clusterOf, quorumSystemOf } from './support/cluster';
import { dig } from './support/values';

const messages = {
  noRejoinGate: (d: { system: string; sts: string; replicas: number; readiness: string }) =>
    `${d.system} StatefulSet "${d.sts}" (${d.replicas} replicas) rolls updates with RollingUpdate, ` +
    `minReadySeconds 0 and ${d.readiness}: the controller replaces the next member as soon as the previous one's ` +
    `container runs, before it has rejoined and caught up, so a rollout can take down the quorum; add a readiness ` +
    `probe that passes only once the member serves (or set minReadySeconds to the time a member needs to rejoin)`,
};

/**
 * The StatefulSet controller updates the next pod once the previous one is Ready for minReadySeconds (Kubernetes
 * docs "StatefulSet: Rolling Updates"). Without a readiness probe, or with only a TCP/port check, Ready means
 * "process started", not "rejoined the quorum", and updates outpace recovery.
 */
export const rolloutOutpacesRejoin = defineRule({
  id: 'rollout-outpaces-rejoin',
  phase: 'set',
  severity: 'warning',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'A quorum StatefulSet with RollingUpdate and minReadySeconds 0 has a readiness probe beyond a TCP check, so a ' +
    'rollout waits for each member to rejoin.',
    remediation: 'Add a readiness probe that passes once the member serves, or set minReadySeconds.',
  },
  messages,
  check(manifest, ctx) {
    const cluster = clusterOf(manifest, ctx);
    const system = quorumSystemOf(cluster, 2);
    if (system === undefined) return [];
    const spec = manifest.object.spec;
    if (dig(spec, 'updateStrategy', 'type') === 'OnDelete') return [];
    const minReady = dig(spec, 'minReadySeconds');
    if (typeof minReady === 'number' && minReady > 0) return [];
    const readiness = probesOf(manifest).filter((p) => p.field === 'readinessProbe');
    if (readiness.some((p) => p.handler !== 'tcpSocket')) return [];
    return [{
      path: ['spec', 'template', 'spec', 'containers'],
      messageId: 'noRejoinGate', data: ({
        system: SYSTEM_NAMES[system],
        sts: cluster.view.name,
        replicas: cluster.view.replicas,
        readiness: readiness.length === 0 ? 'no readiness probe' : 'only a TCP readiness probe',
      }),
    }];
  },
});
