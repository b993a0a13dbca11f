import { clusterCheckOf, probesOf, SYSTEM_NAMES } from '../k8s/systems';
import { defineRule } from '../core/rule';
import { asRecord, dig } from './support/values';
import { clusterOf, governingService, nameOf, quorumSystemOf } from './support/cluster';

const TOLERATE_UNREADY = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';

const messages = {
  unreadyHidden: (d: { service: string; system: string; sts: string; why: string }) =>
    `Service "${d.service}" governs ${d.system} StatefulSet "${d.sts}" but does not set publishNotReadyAddresses: ` +
    `true: a pod gets its DNS record only once Ready, and ${d.why}; set spec.publishNotReadyAddresses: true`,
  annotationInert: (d: { service: string }) =>
    `Service "${d.service}" relies on the annotation ${TOLERATE_UNREADY}, which Kubernetes removed in 1.24 ` +
    `(kubernetes/kubernetes#108020) and EndpointSlices never honoured: on 1.28 it does nothing; set ` +
    `spec.publishNotReadyAddresses: true instead`,
};

/**
 * Members that must reach each other before they are Ready need their DNS records before readiness:
 * `publishNotReadyAddresses: true` on the governing Service (Kubernetes API reference, ServiceSpec; the ZooKeeper
 * and etcd StatefulSet examples). The old annotation is gone since 1.24 (kubernetes/kubernetes#108020).
 * Judged when the pods cannot become Ready without peers: Parallel start, or a readiness probe that needs the
 * quorum.
 */
export const peersUnreadyDns = defineRule({
  id: 'peers-unready-dns',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'The governing Service of a cluster StatefulSet whose members must find each other before they are Ready ' +
    'sets publishNotReadyAddresses: true (the tolerate-unready-endpoints annotation is inert on 1.28).',
    remediation: 'Set spec.publishNotReadyAddresses: true on the headless Service named by spec.serviceName.',
  },
  messages,
  check(manifest, ctx) {
    const cluster = clusterOf(manifest, ctx);
    const system = cluster.identification?.system;
    const service = governingService(cluster, ctx);
    if (system === undefined || service === undefined) return [];
    if (dig(service.object, 'spec', 'publishNotReadyAddresses') === true) return [];
    const readinessNeedsQuorum = probesOf(manifest).some(
      (p) => p.field === 'readinessProbe' && clusterCheckOf(p, system) !== undefined,
    );
    // A system without a majority quorum (Redis Cluster, Cassandra) is judged only by a readiness probe that
    // needs the cluster: its members do not wait for each other to start.
    if (quorumSystemOf(cluster, 0) === undefined && !readinessNeedsQuorum) return [];
    const why = readinessNeedsQuorum
      ? 'its readiness probe needs the cluster, so no member becomes Ready before it can resolve its peers: the cluster never forms'
      : cluster.view.parallel && cluster.view.replicas > 1
        ? 'with Parallel start every member looks its peers up before any is Ready: bootstrap stalls until readiness'
        : undefined;
    const annotated = asRecord(service.object.metadata?.annotations)?.[TOLERATE_UNREADY] !== undefined;
    if (why === undefined && !annotated) return [];
    const severity = why === undefined ? { severity: 'warning' as const } : {};
    if (annotated) {
      return [{
        messageId: 'annotationInert',
        data: { service: nameOf(service) },
        path: ['metadata', 'annotations', TOLERATE_UNREADY],
        manifest: service,
        ...severity,
      }];
    }
    return [{
      messageId: 'unreadyHidden',
      data: { service: nameOf(service), system: SYSTEM_NAMES[system], sts: cluster.view.name, why: why! },
      path: ['spec'],
      manifest: service,
    }];
  },
});
