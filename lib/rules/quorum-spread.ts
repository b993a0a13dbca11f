import { compileLabelSelector } from '../k8s/selector';
import { labelSelectorOf } from '../k8s/storage';
import { faultTolerance, majority, SYSTEM_NAMES } from '../k8s/systems';
import { defineRule, type Report } from '../core/rule';
import { clusterOf, quorumSystemOf, type StatefulCluster } from './support/cluster';
import { asArray, asRecord, asString, dig } from './support/values';

const SPREAD_KEYS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/zone',
]);

const messages = {
  noSpread: (d: { system: string; sts: string; replicas: number; quorum: number; tolerance: number; detail: string }) =>
    `${d.system} StatefulSet "${d.sts}" (${d.replicas} replicas, quorum ${d.quorum}) has ${d.detail}: the ` +
    `scheduler may put ${d.tolerance + 1} or more members on one node, and losing that node loses the quorum; add ` +
    `a required podAntiAffinity term on kubernetes.io/hostname whose labelSelector matches the pod labels, or a ` +
    `topologySpreadConstraint with whenUnsatisfiable: DoNotSchedule`,
  preferredOnly: (d: { system: string; sts: string; replicas: number; quorum: number; tolerance: number }) =>
    `${d.system} StatefulSet "${d.sts}" (${d.replicas} replicas, quorum ${d.quorum}) spreads its members only with ` +
    `preferred anti-affinity: when nodes are short the scheduler still places ${d.tolerance + 1} members on one ` +
    `node, and losing that node loses the quorum (${d.replicas} − ${d.tolerance + 1} < ${d.quorum}); make the term ` +
    `required (requiredDuringSchedulingIgnoredDuringExecution) or use a DoNotSchedule topology spread constraint`,
};

/**
 * A quorum survives the loss of a node only if no node holds more than n − ⌊n/2⌋ − 1 members: required pod
 * anti-affinity on the hostname (or zone) or a DoNotSchedule topology spread (Kubernetes docs "Assigning Pods to
 * Nodes", "Pod Topology Spread Constraints"; the kubernetes.io ZooKeeper tutorial). The term's selector must match
 * the pods, or it spreads nothing.
 */
export const quorumSpread = defineRule({
  id: 'quorum-spread',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
    'A quorum StatefulSet of 3 or more members has required pod anti-affinity or a DoNotSchedule topology spread ' +
    'on hostname or zone whose selector matches its pods (preferred only: warning).',
    remediation:
    'Add requiredDuringSchedulingIgnoredDuringExecution podAntiAffinity on kubernetes.io/hostname selecting the ' +
    'pod labels, or a topologySpreadConstraint with whenUnsatisfiable: DoNotSchedule.',
  },
  messages,
  check(manifest, ctx) {
    const cluster = clusterOf(manifest, ctx);
    const system = quorumSystemOf(cluster, 3);
    const replicas = cluster.view.replicas;
    if (system === undefined) return [];
    const spread = spreadOf(cluster);
    if (spread.required) return [];
    const data = {
      system: SYSTEM_NAMES[system], sts: cluster.view.name, replicas, quorum: majority(replicas), tolerance: faultTolerance(replicas),
    };
    const path = ['spec', 'template', 'spec'];
    if (spread.preferred) return [{ path, severity: 'warning', messageId: 'preferredOnly', data: (data) }];
    const detail = spread.nonMatching > 0
      ? `required anti-affinity or spread terms whose labelSelector does not match its pod labels (${spread.nonMatching})`
      : 'no required pod anti-affinity and no DoNotSchedule topology spread on hostname or zone';
    return [{ path, messageId: 'noSpread', data: ({ ...data, detail }) } satisfies Report<typeof messages>];
  },
});

function spreadOf(cluster: StatefulCluster): { required: boolean; preferred: boolean; nonMatching: number } {
  const podSpec = dig(cluster.manifest.object, 'spec', 'template', 'spec');
  const matches = (term: unknown) =>
    compileLabelSelector(labelSelectorOf(dig(term, 'labelSelector')))(cluster.view.templateLabels);
  const onSpreadKey = (term: unknown) => SPREAD_KEYS.has(asString(dig(term, 'topologyKey')) ?? '');
  let nonMatching = 0;
  const requiredTerms = [
    ...asArray(dig(podSpec, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')),
    ...asArray(dig(podSpec, 'topologySpreadConstraints')).filter((c) => asRecord(c)?.whenUnsatisfiable === 'DoNotSchedule'),
  ].filter(onSpreadKey);
  let required = false;
  for (const term of requiredTerms) {
    if (matches(term)) required = true;
    else nonMatching += 1;
  }
  const preferredTerms = [
    ...asArray(dig(podSpec, 'affinity', 'podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'))
      .map((weighted) => dig(weighted, 'podAffinityTerm')),
    ...asArray(dig(podSpec, 'topologySpreadConstraints')).filter((c) => asRecord(c)?.whenUnsatisfiable !== 'DoNotSchedule'),
  ].filter(onSpreadKey);
  return { required, preferred: preferredTerms.some(matches), nonMatching };
}
