/**
 * A Service's clusterIP cannot change once set (core/validation ValidateServiceUpdate). Dropping it is not a
 * change: the API server keeps the allocated value, so a headless Service edited to ClusterIP stays headless.
 */
import { showValue } from '../changes';
import type { DiffCheck, DiffFinding, ObjectPair } from '../types';
import { invalid, namespaceFlag, specOf } from './support';

function clusterIPs(spec: Record<string, unknown>): string[] | undefined {
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) return spec.clusterIPs.map(String);
  return typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? [spec.clusterIP] : undefined;
}

const recreate = (pair: ObjectPair): string =>
  `delete the Service (kubectl delete service ${pair.name}${namespaceFlag(pair)}) and re-apply`;

export const serviceClusterIP: DiffCheck = {
  id: 'immutable-field',
  description: "a Service's clusterIP cannot change once set (headless ↔ ClusterIP is a delete and recreate)",
  kinds: ['Service'],
  check(pair): DiffFinding[] {
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
        severity: 'warning',
        side: 'new',
        path,
        message: `${change}: the API server keeps clusterIP None when it is left out, so Service "${pair.name}" ` +
          `silently stays headless. To make it a ClusterIP Service, ${recreate(pair)}`,
      }];
    }
    const quoted = `[]string{${(afterList ?? []).map((ip) => JSON.stringify(ip)).join(', ')}}`;
    const allocated = before === undefined && after !== 'None'
      ? ' (unless it is exactly the address the cluster allocated when the Service was created)'
      : '';
    return [{
      severity: 'error',
      side: 'new',
      path,
      message: `${change}: ${invalid(pair, `spec.clusterIPs[0]: Invalid value: ${quoted}: may not change once set`)}` +
        `${allocated}. A Service cannot switch between headless and ClusterIP or change its address in place: ` +
        `${recreate(pair)}`,
    }];
  },
};
