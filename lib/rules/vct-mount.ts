import type { Manifest, Rule, RuleFinding } from '../lint/types';
import { readStatefulSet, templateContainers, type StatefulSetView } from './support/statefulset';
import { asArray, asRecord, asString, dig } from './support/values';

/** volumeMounts name a volume by file-system mount; volumeDevices (raw block) by device path. */
const VOLUME_REFERENCES = ['volumeMounts', 'volumeDevices'] as const;

/**
 * Every mount must name a pod volume or a claim template, and every claim template should be used.
 * A pod volume with a claim template's name is fine: the StatefulSet controller replaces it with the claim.
 */
export const vctMount: Rule = {
  id: 'vct-mount',
  severity: 'error',
  kinds: ['StatefulSet'],
  description: 'Every volumeMount/volumeDevice names a pod volume or claim template, and every claim template is mounted.',
  remediation:
    'Add the missing volume or volumeClaimTemplate (or fix the mount name), and mount or remove unused claim templates.',
  check(manifest) {
    const sts = readStatefulSet(manifest);
    const volumes = new Set(
      asArray(dig(manifest.object, 'spec', 'template', 'spec', 'volumes'))
        .map((v) => asString(asRecord(v)?.name))
        .filter((name): name is string => name !== undefined),
    );
    const templates = new Set(sts.claimTemplates.map((t) => t.name));
    return [...missingVolumes(manifest, volumes, templates), ...unusedTemplates(manifest, sts)];
  },
};

function missingVolumes(manifest: Manifest, volumes: Set<string>, templates: Set<string>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const container of templateContainers(manifest)) {
    for (const list of VOLUME_REFERENCES) {
      asArray(container.object[list]).forEach((raw, index) => {
        const name = asString(asRecord(raw)?.name);
        if (name === undefined || volumes.has(name) || templates.has(name)) return;
        findings.push({
          message:
            `${list.slice(0, -1)} "${name}" of container "${container.name}" names no pod volume or claim template: ` +
            `the StatefulSet controller will fail every pod creation with ` +
            `${container.podField}.${list}[${index}].name: Not found: "${name}"`,
          path: [...container.path, list, index, 'name'],
        });
      });
    }
  }
  return findings;
}

function unusedTemplates(manifest: Manifest, sts: StatefulSetView): RuleFinding[] {
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
    .map((template) => ({
      message:
        `claim template "${template.name}" is not mounted by any container: ` +
        `every pod still gets a claim (${template.name}-${sts.name}-<ordinal>) that nothing uses`,
      path: [...template.path, 'metadata', 'name'],
      severity: 'warning' as const,
    }));
}
