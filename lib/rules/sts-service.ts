import { podFqdn } from '../k8s/names';
import { explainServiceMismatch, matchesServiceSelector } from '../k8s/selector';
import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest, Path } from '../core/types';
import { readService, STATEFULSET_PATHS } from '../k8s/views';
import { statefulSetView } from './support/statefulset';
import { asRecord } from '../k8s/values';

const SERVICE_NAME: Path = STATEFULSET_PATHS.serviceName;
const SPEC: Path = ['spec'];

/**
 * `spec.serviceName` must name a headless Service in the StatefulSet's namespace that selects its pods; otherwise the
 * API server accepts everything and the pods silently get no per-pod DNS names. Not always a mistake: a StatefulSet
 * reached only through its cluster IP (an NFS provisioner writes its Service's IP into every PV it creates) needs no
 * per-pod names, so a Service that is not headless is an error only when a manifest of the set addresses a pod by
 * name (`web-0.nginx`), a warning otherwise. A missing serviceName is a warning (the API server accepts it; the 1.28
 * OpenAPI that Helm and kubectl's client-side validation use requires it). A Service absent from the linted set is a
 * note (a pre-commit hook passes only the staged files), an error when the set is declared complete; when a headless
 * Service of another name selects the pods, an error that asks "did you mean" (a misspelt serviceName).
 */
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
    'runs: a Service gives DNS names only to pods of its own namespace, so {{dns}} will not resolve',
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
  notHeadless: 'Service "{{name}}" is not headless ({{found}}, not None): {{consequence}}',
  notHeadlessNobodyAddressesPods:
    'Service "{{name}}" is not headless ({{found}}, not None): {{consequence}}; nothing in the linted files ' +
    'addresses a pod as <pod>.<service>, so this may be intended (a StatefulSet reached through its cluster IP, as ' +
    'an NFS provisioner is): make the Service headless (clusterIP: None) if peers need per-pod names',
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
    const sts = statefulSetView(manifest, ctx);
    if (sts.serviceName === undefined || sts.serviceName === '') {
      const path = asRecord(manifest.object.spec) === undefined ? undefined : SPEC;
      const data = { name: sts.name, ordinalsStart: sts.ordinalsStart };
      return [{ messageId: 'noServiceName', data, path, severity: 'warning' }];
    }
    const namespace = ctx.namespaceOf(manifest);
    const dns = podFqdn(sts.name, sts.ordinalsStart, sts.serviceName, namespace);
    const service = ctx.find('Service', namespace, sts.serviceName);
    if (service === undefined) {
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
    const problem = serviceProblem(service, sts.serviceName, sts.templateLabels, dns);
    if (problem === undefined) return [];
    if (problem.messageId === 'notHeadless' && !addressedByPodName(ctx, sts.name, sts.serviceName)) {
      return [{ ...problem, messageId: 'notHeadlessNobodyAddressesPods', path: SERVICE_NAME, severity: 'warning' }];
    }
    return [{ ...problem, path: SERVICE_NAME }];
  },
});

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
 * Whether a manifest of the set names a pod of this StatefulSet by its per-pod DNS name (`web-0.nginx`,
 * `web-0.nginx.default.svc.cluster.local`): in a peer list, a command, a config file. The name is
 * `<sts>-<digits>.<service>` between characters that cannot continue a host name ([a-z0-9-]).
 */
function addressedByPodName(ctx: LintContext, statefulSet: string, service: string): boolean {
  if (HOST_NAME.test(statefulSet) && HOST_NAME.test(service)) {
    // Such a name cannot span two strings: pairs of every string, read once per run (no joined text is kept).
    const pairs = ctx.memo('rules/sts-service/pod-names', () => {
      const found = new Set<string>();
      for (const m of ctx.manifests) forEachString(m.object, (value) => addPodNamePairs(value, found));
      return found;
    });
    return pairs.has(`${statefulSet}\u0000${service}`);
  }
  // Names with other characters (which the API server refuses anyway): found by their literal `<sts>-`.
  const text = ctx.memo('rules/sts-service/strings', () => ctx.manifests.flatMap((m) => stringsOf(m.object)).join('\n'));
  const rest = new RegExp(`\\d+\\.${escape(service)}(?![a-z0-9-])`, 'y');
  const prefix = `${statefulSet}-`;
  for (let at = text.indexOf(prefix); at !== -1; at = text.indexOf(prefix, at + 1)) {
    if (at > 0 && isHostCharacter(text.charCodeAt(at - 1))) continue;
    rest.lastIndex = at + prefix.length;
    if (rest.test(text)) return true;
  }
  return false;
}

const HOST_NAME = /^[a-z0-9-]*$/;

function isHostCharacter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d;
}

/**
 * Adds every `<a>-<digits>.<b>` in `text` where `<a>-<digits>` and `<b>` are whole runs of host-name characters, as
 * `<a>\0<b>`: one pass, each character looked at a bounded number of times.
 */
function addPodNamePairs(text: string, pairs: Set<string>): void {
  for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    let dash = dot - 1;
    while (dash >= 0 && text.charCodeAt(dash) >= 0x30 && text.charCodeAt(dash) <= 0x39) dash--;
    if (dash === dot - 1 || dash < 0 || text.charCodeAt(dash) !== 0x2d) continue;
    let start = dash;
    while (start > 0 && isHostCharacter(text.charCodeAt(start - 1))) start--;
    let end = dot + 1;
    while (end < text.length && isHostCharacter(text.charCodeAt(end))) end++;
    pairs.add(`${text.slice(start, dash)}\u0000${text.slice(dot + 1, end)}`);
  }
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every string value in an object, without recursion (input may nest deeply). */
function stringsOf(root: unknown): string[] {
  const result: string[] = [];
  forEachString(root, (value) => result.push(value));
  return result;
}

/** Calls `visit` with every string value in an object, in stringsOf order, without recursion or copies. */
function forEachString(root: unknown, visit: (value: string) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') visit(value);
    else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) stack.push(value[i]);
    else if (typeof value === 'object' && value !== null) {
      // for-in allocates nothing (Object.values would, for every mapping of every object); parsed mappings are
      // plain objects, which inherit no enumerable keys.
      for (const key in value) stack.push((value as Record<string, unknown>)[key]);
    }
  }
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
  const candidates = (services.byNamespace.get(namespace) ?? [])
    .filter((s) => serviceProblem(s, '', podLabels, dns) === undefined)
    .map((s) => readService(s.object).name);
  if (candidates.length > 0) {
    // Not simply absent: a headless Service of the set selects exactly these pods under another name, a typo.
    return { messageId: 'misspelt', data: { name, candidate: candidates[0], dns } };
  }
  return ctx.complete ? { messageId: 'absentFromCompleteSet', data: { name, dns } } : undefined;
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
