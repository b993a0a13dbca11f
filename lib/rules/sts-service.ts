import { podFqdn } from '../k8s/names';
import { explainServiceMismatch, matchesServiceSelector } from '../k8s/selector';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest, Path } from '../core/types';
import { readService, readStatefulSet, STATEFULSET_PATHS } from '../k8s/views';
import { asRecord } from '../k8s/values';

const SERVICE_NAME: Path = STATEFULSET_PATHS.serviceName;
const SPEC: Path = ['spec'];

/**
 * `spec.serviceName` must name a headless Service in the StatefulSet's namespace that selects its pods; otherwise the
 * API server accepts everything and the pods silently get no per-pod DNS names. A missing serviceName is accepted
 * too (the 1.28 OpenAPI lists it as required, the API server does not check it): only a warning, since a StatefulSet
 * whose pods nobody addresses by name runs fine without one. A Service absent from the linted set is a warning as
 * well: it may live in a file not linted this time (a pre-commit hook passes only the staged files); unless a
 * headless Service of the set selects the pods under another name, which is an error (a misspelt serviceName).
 */
const messages = {
  noServiceName: (d: { name: string; ordinalsStart: number }) =>
    `StatefulSet "${d.name}" has no spec.serviceName: Kubernetes accepts it, but its pods get no stable per-pod DNS ` +
    `names (<pod>.<service>.<namespace>.svc.cluster.local), so peers cannot address ` +
    `${d.name}-${d.ordinalsStart}, ${d.name}-${d.ordinalsStart + 1}, ... by name; create a headless Service ` +
    `(clusterIP: None) that selects the pods and set spec.serviceName to its name`,
  otherNamespace:
    'Service "{{name}}" is in namespace {{namespaces}}, not in "{{namespace}}" where the StatefulSet ' +
    'runs: a Service gives DNS names only to pods of its own namespace, so {{dns}} will not resolve',
  misspelt:
    'Service "{{name}}" (spec.serviceName) is not among the linted files, but headless Service ' +
    '"{{candidate}}" selects these pods: did you mean serviceName: {{candidate}}? Without a Service named ' +
    '"{{name}}", {{dns}} will not resolve',
  notLinted:
    'Service "{{name}}" (spec.serviceName) is not among the linted files, so it is not checked: unless a headless ' +
    'Service of that name that selects the pods exists in namespace "{{namespace}}", {{dns}} will not resolve; ' +
    'lint its file together with this StatefulSet to check it',
  externalName:
    'Service "{{name}}" is an ExternalName Service (type ExternalName), which is never headless for pods: it ' +
    'only aliases a DNS name and lists no pods, so {{consequence}}; use a Service with clusterIP: None instead',
  notHeadless: 'Service "{{name}}" is not headless ({{found}}, not None): {{consequence}}',
  noSelector: 'Service "{{name}}" has no selector, so it never lists the StatefulSet\'s pods: {{consequence}}',
  selectsOtherPods: 'Service "{{name}}" does not select the StatefulSet\'s pods ({{mismatch}}): {{consequence}}',
};

type Found = Report<typeof messages>;

export const stsService = defineRule({
  id: 'sts-service',
  phase: 'set',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description: 'spec.serviceName is set and names a headless Service in the same namespace that selects the pods.',
    remediation:
      'Define a Service named exactly as spec.serviceName, in the same namespace, with clusterIP: None and a ' +
      'selector matching the pod template labels.',
  },
  messages,
  check(manifest, ctx) {
    const sts = readStatefulSet(manifest.object);
    if (sts.serviceName === undefined || sts.serviceName === '') {
      const path = asRecord(manifest.object.spec) === undefined ? undefined : SPEC;
      const data = { name: sts.name, ordinalsStart: sts.ordinalsStart };
      return [{ messageId: 'noServiceName', data, path, severity: 'warning' }];
    }
    const namespace = ctx.namespaceOf(manifest);
    const dns = podFqdn(sts.name, sts.ordinalsStart, sts.serviceName, namespace);
    const service = ctx.find('Service', namespace, sts.serviceName);
    if (service === undefined) {
      return [{ ...absentService(sts.serviceName, namespace, sts.templateLabels, dns, ctx), path: SERVICE_NAME }];
    }
    const problem = serviceProblem(service, sts.serviceName, sts.templateLabels, dns);
    return problem === undefined ? [] : [{ ...problem, path: SERVICE_NAME }];
  },
});

function absentService(
  name: string,
  namespace: string,
  podLabels: Record<string, string>,
  dns: string,
  ctx: LintContext,
): Found {
  const elsewhere = ctx
    .byKind('Service')
    .filter((s) => readService(s.object).name === name)
    .map((s) => `"${ctx.namespaceOf(s)}"`);
  if (elsewhere.length > 0) {
    return { messageId: 'otherNamespace', data: { name, namespaces: elsewhere.join(', '), namespace, dns } };
  }
  const candidates = ctx
    .byKind('Service')
    .filter((s) => ctx.namespaceOf(s) === namespace && serviceProblem(s, '', podLabels, dns) === undefined)
    .map((s) => readService(s.object).name);
  if (candidates.length > 0) {
    // Not simply absent: a headless Service of the set selects exactly these pods under another name, a typo.
    return { messageId: 'misspelt', data: { name, candidate: candidates[0], dns } };
  }
  return { severity: 'warning', messageId: 'notLinted', data: { name, namespace, dns } };
}

function serviceProblem(
  service: Manifest,
  name: string,
  podLabels: Record<string, string>,
  dns: string,
): Found | undefined {
  const view = readService(service.object);
  const consequence = `pods get no per-pod DNS names (${dns} will not resolve)`;
  if (view.type === 'ExternalName') return { messageId: 'externalName', data: { name, consequence } };
  if (!view.headless) {
    const found = view.clusterIP === '' ? 'spec.clusterIP is unset' : `spec.clusterIP is "${view.clusterIP}"`;
    return { messageId: 'notHeadless', data: { name, found, consequence } };
  }
  const selector = view.selector;
  if (Object.keys(selector).length === 0) return { messageId: 'noSelector', data: { name, consequence } };
  if (matchesServiceSelector(selector, podLabels)) return undefined;
  return {
    messageId: 'selectsOtherPods',
    data: { name, mismatch: explainServiceMismatch(selector, podLabels), consequence },
  };
}
