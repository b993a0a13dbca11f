import { editDistance } from '../core/edit-distance';
import { defineRule, type Report } from '../core/rule';
import type { PodTemplateView, StatefulSetView } from '../k8s/views';
import { statefulSetView } from './support/statefulset';

/**
 * Every mount must name a pod volume or a claim template, and every claim template should be used.
 * A pod volume with a claim template's name is fine: the StatefulSet controller replaces it with the claim.
 * An unmounted template is a warning here and in the constructs alike (StatefulApp reports it through this rule).
 */
const messages = {
  notFound:
    '{{what}} names no pod volume or claim template: the StatefulSet controller will fail every pod ' +
    'creation with {{field}}: Not found: "{{name}}"{{hint}}',
  notAClaim:
    '{{what}} is not a claim: the StatefulSet controller will fail every pod creation with {{field}}: ' +
    'Invalid value: "{{name}}": can only use volume source type of PersistentVolumeClaim or Ephemeral for ' +
    'block mode',
  unusedTemplate:
    'claim template "{{template}}" is not mounted by any container: ' +
    'every pod still gets a claim ({{template}}-{{statefulSet}}-<ordinal>) that nothing uses',
};

type Found = Report<typeof messages>;

export const vctMount = defineRule({
  id: 'vct-mount',
  phase: 'object',
  severity: 'error',
  kinds: ['StatefulSet'],
  docs: {
    description:
      'Every volumeMount/volumeDevice names a pod volume or claim template, and every claim template is mounted.',
    remediation:
      'Add the missing volume or volumeClaimTemplate (or fix the mount name), and mount or remove unused claim ' +
      'templates.',
  },
  messages,
  check(manifest, ctx) {
    const sts = statefulSetView(manifest, ctx);
    const templates = new Set(sts.claimTemplates.map((t) => t.name));
    return [...unresolvedReferences(sts.podTemplate, templates), ...unusedTemplates(sts)];
  },
});

function unresolvedReferences(pod: PodTemplateView, templates: ReadonlySet<string>): Found[] {
  const volumes = new Map(pod.volumes.map((volume) => [volume.name, volume.blockCapable]));
  const findings: Found[] = [];
  for (const container of pod.containers) {
    for (const reference of container.volumeReferences) {
      const { name, list, index } = reference;
      if (templates.has(name)) continue;
      const messageId = !volumes.has(name) ? 'notFound' : list === 'volumeDevices' && volumes.get(name) === false ? 'notAClaim' : undefined;
      if (messageId === undefined) continue;
      const field = `${container.podField}.${list}[${index}].name`;
      const what = `${list.slice(0, -1)} "${name}" of container "${container.name}"`;
      if (messageId === 'notAClaim') findings.push({ messageId, data: { what, field, name }, path: reference.path });
      else findings.push({ messageId, data: { what, field, name, hint: didYouMean(name, [...volumes.keys(), ...templates]) }, path: reference.path });
    }
  }
  return findings;
}

function unusedTemplates(sts: StatefulSetView): Found[] {
  const used = new Set(sts.podTemplate.containers.flatMap((c) => c.volumeReferences.map((ref) => ref.name)));
  return sts.claimTemplates
    .filter((template) => !used.has(template.name))
    .map((template): Found => ({
      messageId: 'unusedTemplate',
      data: { template: template.name, statefulSet: sts.name },
      path: [...template.path, 'metadata', 'name'],
      severity: 'warning' as const,
    }));
}

/**
 * `; did you mean "data"?` for the nearest volume or template name (a misspelt mount), else '': within one edit
 * per three characters and at most two, so a short name is not "corrected" into an unrelated one.
 */
function didYouMean(name: string, names: readonly string[]): string {
  const limit = Math.min(MAX_SUGGESTION_EDITS, Math.floor(name.length / 3));
  let nearest: string | undefined;
  let best = limit + 1;
  for (const candidate of [...new Set(names)].sort()) {
    const distance = editDistance(name, candidate, limit);
    if (distance < best) [nearest, best] = [candidate, distance];
  }
  return nearest === undefined ? '' : `; did you mean "${nearest}"?`;
}

const MAX_SUGGESTION_EDITS = 2;
