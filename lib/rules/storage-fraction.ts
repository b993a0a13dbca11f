import { compareQuantity, isFractionalBytes, parseQuantity, quantityOf } from '../k8s/quantity';
import { defineRule } from '../core/rule';
import type { LintContext, Manifest, Path } from '../core/types';
import { statefulSetView } from './support/statefulset';
import { pvSpecOfManifest } from './support/storage';
import { valueAt } from './support/values';

const WHOLE = quantityOf(0);
const ONE_KI = quantityOf(1024);

const STORAGE_REQUEST = ['spec', 'resources', 'requests', 'storage'];

/**
 * Storage is counted in bytes: `500m` is half a byte (m is milli), almost always a typo for 500M or 500Mi. The API
 * server accepts it, and then any PV or provisioned volume of at least one byte satisfies the claim. A fraction
 * of a byte in a real size (`0.1Gi`, 107374182.4 bytes) is no mistake: provisioners round up, the binder compares
 * values. So only a bare number (`1.5`) or a size under 1Ki is reported.
 */
export const storageFraction = defineRule({
  id: 'storage-fraction',
  phase: 'object',
  severity: 'warning',
  kinds: ['StatefulSet', 'PersistentVolumeClaim', 'PersistentVolume'],
  docs: {
    description: 'Storage requests and PV capacities are whole numbers of bytes (500m is half a byte).',
    remediation: 'Write storage sizes with a byte suffix such as M, Mi, G or Gi (500Mi, not 500m).',
  },
  messages: {
    milli:
      'storage {{text}} is {{count}} thousandths of a byte (m means milli), not megabytes: ' +
      'did you mean {{count}}M or {{count}}Mi?',
    fraction: 'storage {{text}} is not a whole number of bytes: did you mean a size with a suffix such as Mi or Gi?',
  },
  check(manifest, ctx) {
    // A PV's capacity as the binder read it (parsed once per run): most PVs have a whole number of bytes.
    if (manifest.object.kind === 'PersistentVolume' && !isFractionalBytes(pvSpecOfManifest(manifest, ctx).capacity ?? WHOLE)) return [];
    const found = [];
    for (const path of storageNodes(manifest, ctx)) {
      const value = valueAt(manifest.object, path);
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const quantity = parseQuantity(value);
      if (quantity === undefined || !isFractionalBytes(quantity)) continue;
      const text = String(value).trim();
      if (/[a-zA-Z]$/.test(text) && compareQuantity(quantity, ONE_KI) >= 0) continue;
      const milli = /^(\d+)m$/.exec(text);
      found.push(
        milli === null
          ? { messageId: 'fraction' as const, data: { text }, path }
          : { messageId: 'milli' as const, data: { text, count: milli[1] }, path },
      );
    }
    return found;
  },
});

const PV_CAPACITY = [['spec', 'capacity', 'storage']];
const CLAIM_REQUEST = [STORAGE_REQUEST];

function storageNodes(manifest: Manifest, ctx: LintContext): readonly Path[] {
  switch (manifest.object.kind) {
    case 'StatefulSet':
      return statefulSetView(manifest, ctx).claimTemplates.map((t) => [...t.path, ...STORAGE_REQUEST]);
    case 'PersistentVolume':
      return PV_CAPACITY;
    default:
      return CLAIM_REQUEST;
  }
}
