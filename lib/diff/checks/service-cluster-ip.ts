/**
 * A Service's clusterIP cannot change once set (core/validation ValidateServiceUpdate). Dropping it is not a
 * change: the API server keeps the allocated value, so a headless Service edited to ClusterIP stays headless.
 */
import { showValue } from '../changes';
import type { RevisionReport } from '../../core/rule';
import type { ObjectPair } from '../../core/types';
import { invalid, namespaceFlag, specOf } from './support';

function clusterIPs(spec: Record<string, unknown>): string[] | undefined {
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) return spec.clusterIPs.map(String);
  return typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : undefined;
}

const recreate = (pair: ObjectPair): string =>
  `delete the Service (kubectl delete service ${pair.name}${namespaceFlag(pair)}) and re-apply`;

export const serviceClusterIPMessages = {
  staysHeadless:
    '{{change}}: the API server keeps clusterIP None when it is left out, so Service "{{name}}" ' +
    'silently stays headless. To make it a ClusterIP Service, {{recreate}}',
  clusterIPChanged: (d: { change: string; invalid: string; allocated: boolean; recreate: string }) =>
    `${d.change}: ${d.invalid}` +
    `${d.allocated ? ' (unless it is exactly the address the cluster allocated when the Service was created)' : ''}` +
    `. A Service cannot switch between headless and ClusterIP or change its address in place: ${d.recreate}`,
};

/** A Service's clusterIP cannot change once set (headless ↔ ClusterIP is a delete and recreate). */
export function serviceClusterIP(pair: ObjectPair): RevisionReport<typeof serviceClusterIPMessages>[] {
  if (!pair.old || !pair.new) return [];
  const oldSpec = specOf(pair.old.normalized);
  const newSpec = specOf(pair.new.normalized);
  if (oldSpec.type === 'ExternalName' || newSpec.type === 'ExternalName') return [];
  const before = clusterIPs(oldSpec)?.[0];
  const afterList = clusterIPs(newSpec);
  const after = afterList?.[0];
  if (before === after) return [];
  const change = `spec.clusterIP: ${showValue(before)} → ${showValue(after)}`;
  const path = ['spec', 'clusterIP'];
  if (after === undefined) {
    if (before !== 'None') return [];
    return [{
      messageId: 'staysHeadless',
      severity: 'warning',
      side: 'new',
      path,
      data: { change, name: pair.name, recreate: recreate(pair) },
    }];
  }
  const quoted = `[]string{${(afterList ?? []).map((ip) => JSON.stringify(ip)).join(', ')}}`;
  return [{
    messageId: 'clusterIPChanged',
    side: 'new',
    path,
    data: {
      change,
      invalid: invalid(pair, `spec.clusterIPs[0]: Invalid value: ${quoted}: may not change once set`),
      allocated: before === undefined && after !== 'None',
      recreate: recreate(pair),
    },
  }];
}
