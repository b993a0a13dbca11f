import { defineRule, type Report } from '../core/rule';
import type { Manifest } from '../core/types';
import { readStatefulSet, templateContainers, type StatefulSetView } from './support/statefulset';
import { asArray, asRecord, asString, dig } from './support/values';

/** Where containers name volumes: file-system mounts and raw block devices. */
const VOLUME_REFERENCES = ['volumeMounts', 'volumeDevices'] as const;

/**
 * Every mount must name a pod volume or a claim template, and every claim template should be used.
 * A pod volume with a claim template's name is fine: the StatefulSet controller replaces it with the claim.
 */
const messages = {
  notFound:
    '{{what}} names no pod volume or claim template: the StatefulSet controller will fail every pod ' +
    'creation with {{field}}: Not found: "{{name}}"',
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
  check(manifest) {
    const sts = readStatefulSet(manifest);
    const volumes = podVolumes(manifest);
    const templates = new Set(sts.claimTemplates.map((t) => t.name));
    return [...unresolvedReferences(manifest, volumes, templates), ...unusedTemplates(manifest, sts)];
  },
});

/** Pod volumes by name: true when the volume can back a raw block device (a claim or an ephemeral volume). */
function podVolumes(manifest: Manifest): Map<string, boolean> {
  const volumes = new Map<string, boolean>();
  for (const raw of asArray(dig(manifest.object, 'spec', 'template', 'spec', 'volumes'))) {
    const volume = asRecord(raw);
    const name = asString(volume?.name);
    if (name === undefined) continue;
    volumes.set(name, volume?.persistentVolumeClaim !== undefined || volume?.ephemeral !== undefined);
  }
  return volumes;
}

function unresolvedReferences(
  manifest: Manifest,
  volumes: ReadonlyMap<string, boolean>,
  templates: ReadonlySet<string>,
): Found[] {
  const findings: Found[] = [];
  for (const container of templateContainers(manifest)) {
    for (const list of VOLUME_REFERENCES) {
      asArray(container.object[list]).forEach((raw, index) => {
        const name = asString(asRecord(raw)?.name);
        if (name === undefined || templates.has(name)) return;
        const field = `${container.podField}.${list}[${index}].name`;
        const path = [...container.path, list, index, 'name'];
        const what = `${list.slice(0, -1)} "${name}" of container "${container.name}"`;
        if (!volumes.has(name)) {
          findings.push({ messageId: 'notFound', data: { what, field, name }, path });
        } else if (list === 'volumeDevices' && volumes.get(name) === false) {
          findings.push({ messageId: 'notAClaim', data: { what, field, name }, path });
        }
      });
    }
  }
  return findings;
}

function unusedTemplates(manifest: Manifest, sts: StatefulSetView): Found[] {
  const used = new Set<string>();
  for (const container of templateContainers(manifest)) {
    for (const list of VOLUME_REFERENCES) {
      for (const raw of asArray(container.object[list])) {
        const name = asString(asRecord(raw)?.name);
        if (name !== undefined) used.add(name);
      }
    }
  }
  return sts.claimTemplates
    .filter((template) => !used.has(template.name))
    .map((template): Found => ({
      messageId: 'unusedTemplate',
      data: { template: template.name, statefulSet: sts.name },
      path: [...template.path, 'metadata', 'name'],
      severity: 'warning' as const,
    }));
}
