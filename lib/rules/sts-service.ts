import { podFqdn } from '../k8s/names';
import { explainServiceMismatch, matchesServiceSelector } from '../k8s/selector';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest, Path } from '../core/types';
import { readService, STATEFULSET_PATHS, type ServiceView } from '../k8s/views';
import { statefulSetView } from './support/statefulset';
import { asRecord } from '../k8s/values';
import { addressedByPodName } from './support/pod-names';
import { perManifest } from './support/per-manifest';

const SERVICE_NAME: Path = STATEFULSET_PATHS.serviceName;
const SPEC: Path = ['spec'];

/**
 * `spec.serviceName` must name a headless Service in the StatefulSet's namespace that selects its pods; otherwise the
 * API server accepts everything and the pods silently get no per-pod DNS names. Not always a mistake: a StatefulSet
 * reached only through its cluster IP (an NFS provisioner writes its Service's IP into every PV it creates) needs no
 * per-pod names, so a Service that is not headless, or has no selector (Patroni writes its Service's Endpoints
 * itself), is an error only when a manifest of the set addresses a pod by name (`web-0.nginx`), a warning otherwise.
 * A missing serviceName is a warning (the API server accepts it; the 1.28 OpenAPI that Helm and kubectl's client-side
 * validation use requires it). A Service absent from the linted set is a note (a pre-commit hook passes only the
 * staged files), an error when the set is declared complete; when a headless Service of another name selects the
 * pods, an error that asks "did you mean" (a misspelt serviceName).
 */
const NO_SELECTOR =
  'Service "{{name}}" has no selector, so the endpoints controller never lists the StatefulSet\'s pods: {{consequence}}';

const messages = {
  noServiceName: (d: { name: string; ordinalsStart: number }) =>
    `StatefulSet "${d.name}" has no spec.serviceName: the 1.28 API server accepts it, but the 1.28 OpenAPI schema ` +
    `lists it as required, so tools that validate against it (Helm, kubectl's client-side validation) refuse the ` +
    `manifest (missing required field "serviceName"), and the pods get no stable per-pod DNS names ` +
    `(<pod>.<service>.<namespace>.svc.cluster.local): peers cannot address ${d.name}-${d.ordinalsStart}, ` +
    `${d.name}-${d.ordinalsStart + 1}, ... by name; create a headless Service (clusterIP: None) that selects the pods ` +
    `and set spec.serviceName to its name`,
  otherNamespace:
    'Service "{{name}}" is in namespace {{namespaces}}, not in "{{namespace}}" where the StatefulSet ' +
    'runs: a Service gives DNS names only to pods of its own namespace, so {{dns}} will not resolve; define the ' +
    'headless Service in "{{namespace}}"',
  misspelt:
    'Service "{{name}}" (spec.serviceName) is not among the linted files, but headless Service ' +
    '"{{candidate}}" selects these pods: did you mean serviceName: {{candidate}}? Without a Service named ' +
    '"{{name}}", {{dns}} will not resolve',
  absentFromCompleteSet:
    'Service "{{name}}" (spec.serviceName) is not among the linted files, which are declared complete: {{dns}} ' +
    'will not resolve; define a headless Service of that name that selects the pods',
  externalName:
    'Service "{{name}}" is an ExternalName Service (type ExternalName), which is never headless for pods: it ' +
    'only aliases a DNS name and lists no pods, so {{consequence}}; use a Service with clusterIP: None instead',
  notHeadless: 'Service "{{name}}" is not headless ({{found}}, not None): {{consequence}}; make it headless (clusterIP: None)',
  notHeadlessNobodyAddressesPods:
    'Service "{{name}}" is not headless ({{found}}, not None): {{consequence}}; nothing in the linted files ' +
    'addresses a pod as <pod>.<service>, so this may be intended (a StatefulSet reached through its cluster IP, as ' +
    'an NFS provisioner is): make the Service headless (clusterIP: None) if peers need per-pod names',
  noSelector: `${NO_SELECTOR}; give it a selector that matches the pod template's labels`,
  noSelectorNobodyAddressesPods:
    `${NO_SELECTOR}; nothing in the linted files addresses a pod as <pod>.<service>, so this may be intended (a ` +
    'Service whose Endpoints the application writes, as Patroni does): if peers need per-pod names, set ' +
    'spec.serviceName to a headless Service (clusterIP: None) that selects the pods',
  selectsOtherPods:
    'Service "{{name}}" does not select the StatefulSet\'s pods ({{mismatch}}): {{consequence}}; make its selector ' +
    'match the pod template\'s labels',
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
    const sts = statefulSetView(manifest, ctx);
    if (sts.serviceName === undefined || sts.serviceName === '') {
      const path = asRecord(manifest.object.spec) === undefined ? undefined : SPEC;
      const data = { name: sts.name, ordinalsStart: sts.ordinalsStart };
      return [{ messageId: 'noServiceName', data, path, severity: 'warning' }];
    }
    const namespace = ctx.namespaceOf(manifest);
    const service = ctx.find('Service', namespace, sts.serviceName);
    // Most StatefulSets are well served: nothing below (messages, the first pod's DNS name) is built for them.
    const view = service === undefined ? undefined : serviceView(service, ctx);
    if (view !== undefined && givesPodNames(view, sts.templateLabels)) return [];
    const dns = podFqdn(sts.name, sts.ordinalsStart, sts.serviceName, namespace);
    if (view === undefined) {
      const absent = absentService(sts.serviceName, namespace, sts.templateLabels, dns, ctx);
      if (absent === undefined) {
        const { line } = manifest.locate(SERVICE_NAME);
        ctx.note(
          `Service "${sts.serviceName}" (serviceName of StatefulSet ${sts.name}, ${manifest.file}:${line}) is not ` +
            `among the linted files, so it is not checked: lint it together with the StatefulSet (--complete makes ` +
            `this an error)`,
        );
        return [];
      }
      return [{ ...absent, path: SERVICE_NAME }];
    }
    const problem = serviceProblem(view, sts.serviceName, sts.templateLabels, dns);
    if (problem === undefined) return [];
    const mayBeIntended = MAY_BE_INTENDED[problem.messageId as keyof typeof MAY_BE_INTENDED];
    if (mayBeIntended !== undefined && !addressedByPodName(ctx, sts.name, sts.serviceName)) {
      return [{ ...problem, messageId: mayBeIntended, path: SERVICE_NAME, severity: 'warning' }];
    }
    return [{ ...problem, path: SERVICE_NAME }];
  },
});

/** Problems that are legal designs while nothing addresses the pods by name, and their warnings. */
const MAY_BE_INTENDED = {
  notHeadless: 'notHeadlessNobodyAddressesPods',
  noSelector: 'noSelectorNobodyAddressesPods',
} as const;

/** The view of a Service of the set, read once per run however many StatefulSets ask. */
function serviceView(service: Manifest, ctx: LintContext): ServiceView {
  return perManifest(ctx, 'rules/sts-service/views', service, readService);
}

/** The Services of the set by name and by namespace, in input order: built once per run, not scanned per StatefulSet. */
function servicesIndex(ctx: LintContext): { byName: ReadonlyMap<unknown, Manifest[]>; byNamespace: ReadonlyMap<string, Manifest[]> } {
  return ctx.memo('rules/sts-service/services', () => {
    const byName = new Map<unknown, Manifest[]>();
    const byNamespace = new Map<string, Manifest[]>();
    for (const service of ctx.byKind('Service')) {
      const name = service.object.metadata?.name;
      const named = byName.get(name);
      if (named) named.push(service);
      else byName.set(name, [service]);
      const namespace = ctx.namespaceOf(service);
      const inNamespace = byNamespace.get(namespace);
      if (inNamespace) inNamespace.push(service);
      else byNamespace.set(namespace, [service]);
    }
    return { byName, byNamespace };
  });
}

/**
 * A serviceName the set does not define: a Service of that name in another namespace (an error), a headless
 * Service of another name that selects the pods (a typo: "did you mean"), or simply absent (undefined: a note,
 * unless the set is declared complete).
 */
function absentService(
  name: string,
  namespace: string,
  podLabels: Record<string, string>,
  dns: string,
  ctx: LintContext,
): Found | undefined {
  const services = servicesIndex(ctx);
  const elsewhere = (services.byName.get(name) ?? []).map((s) => `"${ctx.namespaceOf(s)}"`);
  if (elsewhere.length > 0) {
    return { messageId: 'otherNamespace', data: { name, namespaces: elsewhere.join(', '), namespace, dns } };
  }
  const candidate = (services.byNamespace.get(namespace) ?? [])
    .map((s) => serviceView(s, ctx))
    .find((view) => givesPodNames(view, podLabels));
  if (candidate !== undefined) {
    // Not simply absent: a headless Service of the set selects exactly these pods under another name, a typo.
    return { messageId: 'misspelt', data: { name, candidate: candidate.name, dns } };
  }
  return ctx.complete ? { messageId: 'absentFromCompleteSet', data: { name, dns } } : undefined;
}

/**
 * Whether the Service gives these pods per-pod DNS names: exactly when serviceProblem finds nothing, without
 * building its messages (a serviceName that names no Service has every Service of its namespace asked).
 */
function givesPodNames(view: ServiceView, podLabels: Record<string, string>): boolean {
  return view.headless && matchesServiceSelector(view.selector, podLabels);
}

function serviceProblem(
  view: ServiceView,
  name: string,
  podLabels: Record<string, string>,
  dns: string,
): Found | undefined {
  const consequence = `pods get no per-pod DNS names (${dns} will not resolve)`;
  if (view.type === 'ExternalName') return { messageId: 'externalName', data: { name, consequence } };
  const selector = view.selector;
  if (Object.keys(selector).length === 0) return { messageId: 'noSelector', data: { name, consequence } };
  if (!matchesServiceSelector(selector, podLabels)) {
    return {
      messageId: 'selectsOtherPods',
      data: { name, mismatch: explainServiceMismatch(selector, podLabels), consequence },
    };
  }
  if (!view.headless) {
    const found = view.clusterIP === '' ? 'spec.clusterIP is unset' : `spec.clusterIP is "${view.clusterIP}"`;
    return { messageId: 'notHeadless', data: { name, found, consequence } };
  }
  return undefined;
}
