import { clusterCheckOf, probesOf, SYSTEM_NAMES } from '../k8s/systems';
import { defineRule, type Report } from '../core/rule';
import { clusterOf } from './support/cluster';

const messages = {
  clusterLiveness: (d: { system: string; sts: string; container: string; probe: string; describes: string; instead: string }) =>
    `the liveness probe of container "${d.container}" in ${d.system} StatefulSet "${d.sts}" checks the cluster ` +
    `(${d.probe}: ${d.describes}): when the quorum is lost the kubelet restarts every member at once and the ` +
    `cluster cannot recover; ${d.instead}`,
};

/**
 * A liveness probe decides when the kubelet kills a container, so it must test the process, never the cluster
 * (Kubernetes docs "Configure Liveness, Readiness and Startup Probes"; etcd "Monitoring": /livez vs /health;
 * Elasticsearch cluster health API). A cluster-wide check turns a lost quorum into restarts of every member.
 */
export const livenessNeedsQuorum = defineRule({
  id: 'liveness-needs-quorum',
  phase: 'set',
  severity: 'warning',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'The liveness probe of an identified cluster member checks its own process (etcd /livez, a port), not the ' +
    'cluster (/health, endpoint health --cluster, _cluster/health, nodetool status, rs.status()).',
    remediation: 'Probe only the local member in livenessProbe; keep cluster checks for readiness or monitoring.',
  },
  messages,
  check(manifest, ctx) {
    const system = clusterOf(manifest, ctx).identification?.system;
    if (system === undefined) return [];
    const findings: Report<typeof messages>[] = [];
    for (const probe of probesOf(manifest)) {
      if (probe.field !== 'livenessProbe') continue;
      const check = clusterCheckOf(probe, system);
      if (check === undefined) continue;
      findings.push({
        path: ['spec', 'template', 'spec', 'containers', probe.containerIndex, 'livenessProbe'],
        messageId: 'clusterLiveness', data: ({
          system: SYSTEM_NAMES[system],
          sts: String(manifest.object.metadata?.name ?? ''),
          container: probe.container,
          probe: probe.handler === 'httpGet' ? `httpGet ${probe.text}` : probe.text,
          describes: check.describes,
          instead: check.instead,
        }),
      });
    }
    return findings;
  },
});
