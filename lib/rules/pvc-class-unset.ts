import { defineRule, type Report } from '../core/rule';
import type { LintContext, Manifest } from '../core/types';
import { storageAnalysis, type DefaultClass, type UnsetClassClaim } from './support/storage';

/**
 * A claim meant for static PVs (it names a volumeName, has a selector, or only a class-less PV of the set fits it)
 * that sets no storageClassName depends on the cluster: the DefaultStorageClass admission plugin gives it the
 * default class where there is one (kind, minikube, k3s, every managed Kubernetes), also when it names a volumeName.
 * Observed on 1.28: such a claim with volumeName stays Pending ("storageClassName does not match"), one with a
 * selector waits for a provisioner that refuses it, a plain one is provisioned past the PV. Silent when the cluster
 * is declared to have no default class; a claim that pvc-unbound already reports is left to it.
 */
const messages = {
  volumeName: (d: { subject: string; pvName: string; withDefault: string; binds: string; fix: string }) =>
    `${d.subject} names PV ${d.pvName} in volumeName but sets no storageClassName: ${d.withDefault} and it stays ` +
    `Pending ("storageClassName does not match") unless ${d.pvName} has that class; ${d.binds}; ${d.fix}`,
  selector: (d: { subject: string; withDefault: string; fix: string }) =>
    `${d.subject} has a selector but sets no storageClassName: ${d.withDefault}, and a provisioner never serves a ` +
    `claim with a selector, so it waits for one forever unless a PV of that class matches; ${d.fix}`,
  fits: (d: { subject: string; pvName: string; withDefault: string; fix: string }) =>
    `${d.subject} sets no storageClassName and is served by a class-less PV of the set (${d.pvName} fits it): ` +
    `${d.withDefault} and it gets a newly provisioned volume instead of ${d.pvName}; ${d.fix}`,
};

export const pvcClassUnset = defineRule({
  id: 'pvc-class-unset',
  phase: 'set',
  severity: 'warning',
  kinds: ['StatefulSet', 'PersistentVolumeClaim'],
  docs: {
    description: 'A claim meant for static PVs sets storageClassName, so a default StorageClass cannot take it.',
    remediation:
      'Set storageClassName: "" on a claim meant for PVs without a class (or the PV\'s class), so the cluster\'s ' +
      'default StorageClass is not given to it.',
  },
  messages,
  check(manifest, ctx) {
    const analysis = storageAnalysis(ctx);
    const seenTemplates = new Set<unknown>();
    const findings: Report<typeof messages>[] = [];
    for (const unset of unsetByManifest(ctx).get(manifest) ?? []) {
      const { claim } = unset;
      // The claims of one template (T-S-0, T-S-1 ...) share the problem: once, at the template.
      const template = claim.owner !== undefined && claim.manifest === claim.owner.manifest ? claim.owner.template : undefined;
      if (template !== undefined) {
        if (seenTemplates.has(template)) continue;
        seenTemplates.add(template);
      }
      findings.push({ ...report(unset, analysis.defaultClass, template !== undefined), path: [...claim.path, 'spec'] });
    }
    return findings;
  },
});

/**
 * The claims this rule reports, by the manifest that holds them, in the analysis's order: built once per run. Left
 * out: claims pvc-unbound reports (Pending in every run or in some: the binder's outcome says it all), and claims a
 * PV is pre-bound to by claimRef (it binds whatever class admission gives the claim).
 */
function unsetByManifest(ctx: LintContext): ReadonlyMap<Manifest, UnsetClassClaim[]> {
  return ctx.memo('rules/pvc-class-unset/by-manifest', () => {
    const analysis = storageAnalysis(ctx);
    const pending = new Set<unknown>();
    for (const outcome of analysis.binding.outcomes.values()) {
      if (outcome.class === 'pending' || outcome.class === 'sometimes-pending') pending.add(outcome.claim.ref);
    }
    const index = new Map<Manifest, UnsetClassClaim[]>();
    for (const unset of analysis.unsetClass) {
      if (pending.has(unset.claim) || unset.why === 'claimRef') continue;
      const list = index.get(unset.claim.manifest);
      if (list === undefined) index.set(unset.claim.manifest, [unset]);
      else list.push(unset);
    }
    return index;
  });
}

function report(unset: UnsetClassClaim, defaultClass: DefaultClass, fromTemplate: boolean): Report<typeof messages> {
  const { claim, why, pv, volumeName } = unset;
  const subject = fromTemplate ? `claim template ${claim.owner!.template.name} (claims ${claim.name}, ...)` : `claim ${claim.name}`;
  const pvClass = pv?.storageClassName ?? '';
  const fix =
    why === 'volumeName' && pvClass !== ''
      ? `set storageClassName: ${pvClass} (the class of PV ${pv!.name})`
      : 'set storageClassName: "" so a default StorageClass cannot take it';
  const withDefault =
    defaultClass.known && defaultClass.name !== null
      ? `the cluster's default StorageClass "${defaultClass.name}" is given to it`
      : 'on a cluster with a default StorageClass (kind, minikube, k3s, managed clusters) admission gives it that class';
  switch (why) {
    case 'volumeName': {
      const pvName = volumeName!;
      const binds =
        pvClass === '' ? `without a default class it binds ${pvName}` : `it binds ${pvName} only if the default class is "${pvClass}"`;
      return { messageId: 'volumeName', data: { subject, pvName, withDefault, binds, fix } };
    }
    case 'selector':
      return { messageId: 'selector', data: { subject, withDefault, fix } };
    default:
      return { messageId: 'fits', data: { subject, pvName: pv!.name, withDefault, fix } };
  }
}
