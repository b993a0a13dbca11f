/**
 * The binder's per-PV predicates and search order against the upstream PV controller's semantics (Kubernetes 1.28,
 * pkg/controller/volume/persistentvolume: findByClaim, FindMatchingVolume, checkVolumeSatisfyClaim), case by case.
 * Independent of reference-binder.ts, which shares these predicates with the library and checks only the search.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindClaims, type ClaimSpec, type PvSpec } from '../../../lib/k8s/binder';
import { parseQuantity } from '../../../lib/k8s/quantity';

function quantity(text: string) {
  const parsed = parseQuantity(text);
  assert.ok(parsed, text);
  return parsed;
}

function claim(name: string, fields: Partial<Omit<ClaimSpec<string>, 'request'>> & { request?: string } = {}) {
  const { request = '1Gi', ...rest } = fields;
  return {
    namespace: 'default',
    name,
    accessModes: ['ReadWriteOnce'],
    storageClassName: '',
    ...rest,
    request: quantity(request),
    ref: name,
  } satisfies ClaimSpec<string>;
}

function pv(name: string, fields: Partial<Omit<PvSpec<string>, 'capacity'>> & { capacity?: string } = {}) {
  const { capacity = '1Gi', ...rest } = fields;
  return { name, accessModes: ['ReadWriteOnce'], labels: {}, ...rest, capacity: quantity(capacity), ref: name } satisfies PvSpec<string>;
}

const preBound = (name: string) => ({ claimRef: { namespace: 'default', name } });

interface Case {
  readonly name: string;
  readonly claim: ClaimSpec<string>;
  readonly pvs: readonly PvSpec<string>[];
  /** The PV bound and how, or undefined when the claim stays Pending. */
  readonly binds?: { readonly pv: string; readonly path: 'volumeName' | 'claimRef' | 'match' };
}

const cases: Case[] = [
  {
    name: 'a PV pre-bound by claimRef skips the class and selector checks',
    claim: claim('data-0', { storageClassName: 'fast', selector: { matchLabels: { disk: 'ssd' } } }),
    pvs: [pv('pv1', { storageClassName: 'slow', labels: { disk: 'hdd' }, ...preBound('data-0') })],
    binds: { pv: 'pv1', path: 'claimRef' },
  },
  {
    name: 'a PV pre-bound by claimRef still needs the capacity',
    claim: claim('data-0', { request: '2Gi' }),
    pvs: [pv('pv1', preBound('data-0'))],
  },
  {
    name: 'a PV pre-bound by claimRef still needs the volumeMode',
    claim: claim('data-0'),
    pvs: [pv('pv1', { volumeMode: 'Block', ...preBound('data-0') })],
  },
  {
    name: 'a claimRef pinning a uid names an earlier claim object, not a new one',
    claim: claim('data-0'),
    pvs: [pv('pv1', { claimRef: { namespace: 'default', name: 'data-0', uid: 'u-1' } })],
  },
  {
    name: 'the volumeName path compares capacity rounded up to integers (1200m serves 1500m)',
    claim: claim('data-0', { request: '1500m', volumeName: 'pv1' }),
    pvs: [pv('pv1', { capacity: '1200m' })],
    binds: { pv: 'pv1', path: 'volumeName' },
  },
  {
    name: 'the matching path compares capacity exactly (1200m does not serve 1500m)',
    claim: claim('data-0', { request: '1500m' }),
    pvs: [pv('pv1', { capacity: '1200m' })],
  },
  {
    name: 'the access-mode group with fewer modes is tried first, whatever the PV order',
    claim: claim('data-0'),
    pvs: [pv('rwx-rwo', { accessModes: ['ReadWriteMany', 'ReadWriteOnce'] }), pv('rwo', { capacity: '5Gi' })],
    binds: { pv: 'rwo', path: 'match' },
  },
  {
    name: 'a free PV of a smaller access-mode group wins over the PV pre-bound to the claim',
    claim: claim('data-0'),
    pvs: [pv('own', { accessModes: ['ReadWriteMany', 'ReadWriteOnce'], ...preBound('data-0') }), pv('spare')],
    binds: { pv: 'spare', path: 'match' },
  },
  {
    name: 'within a group the smallest PV that is large enough wins',
    claim: claim('data-0', { request: '2Gi' }),
    pvs: [pv('big', { capacity: '10Gi' }), pv('small', { capacity: '1Gi' }), pv('fit', { capacity: '3Gi' })],
    binds: { pv: 'fit', path: 'match' },
  },
];

describe('binder against the upstream controller semantics', () => {
  for (const c of cases) {
    it(c.name, () => {
      const match = bindClaims([c.claim], c.pvs).outcomes.get(`default/${c.claim.name}`)!;
      assert.equal(match.class, c.binds === undefined ? 'pending' : 'bound');
      assert.deepEqual(match.pv === undefined ? undefined : { pv: match.pv.name, path: match.path }, c.binds);
    });
  }

  it('the spare PV case: myappdata-myapp-0 binds the RWO-only spare and its pre-bound pv001 stays unused', () => {
    const claims = [0, 1, 2].map((i) => claim(`myappdata-myapp-${i}`, { request: '2Gi' }));
    const pvs = [
      ...claims.map((c, i) =>
        pv(`pv00${i + 1}`, { capacity: '2Gi', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], ...preBound(c.name) }),
      ),
      pv('pv004', { capacity: '2Gi' }),
    ];
    const result = bindClaims(claims, pvs);
    assert.deepEqual(Object.fromEntries([...result.outcomes].map(([key, o]) => [key, o.pv?.name])), {
      'default/myappdata-myapp-0': 'pv004',
      'default/myappdata-myapp-1': 'pv002',
      'default/myappdata-myapp-2': 'pv003',
    });
    assert.deepEqual(result.pending, []);
  });
});
