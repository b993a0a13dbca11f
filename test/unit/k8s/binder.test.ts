import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ClaimSpec,
  claimKey,
  describeNeeds,
  explainPending,
  matchClaim,
  PvSpec,
  reasonsAgainst,
  simulateBinding,
} from '../../../lib/k8s/binder';
import { parseQuantity } from '../../../lib/k8s/quantity';

const RWO = 'ReadWriteOnce';
const RWX = 'ReadWriteMany';
const ROX = 'ReadOnlyMany';

function claim(name: string, fields: Partial<Omit<ClaimSpec<string>, 'request'>> & { request?: string } = {}): ClaimSpec<string> {
  const { request = '2Gi', ...rest } = fields;
  return {
    namespace: 'default',
    name,
    request: parseQuantity(request)!,
    accessModes: [RWO],
    storageClassName: '',
    ref: name,
    ...rest,
  };
}

function pv(name: string, fields: Partial<Omit<PvSpec<string>, 'capacity'>> & { capacity?: string } = {}): PvSpec<string> {
  const { capacity = '2Gi', ...rest } = fields;
  return { name, capacity: parseQuantity(capacity)!, accessModes: [RWO], labels: {}, ref: name, ...rest };
}

describe('reasonsAgainst', () => {
  const c = claim('data-db-0', { request: '10Gi', storageClassName: 'slow', selector: { matchLabels: { disk: 'ssd' } } });
  const fitting = { storageClassName: 'slow', labels: { disk: 'ssd' }, capacity: '10Gi' };
  const cases: Array<[string, PvSpec<string>, string[]]> = [
    ['a fitting PV', pv('p', fitting), []],
    ['a larger PV', pv('p', { ...fitting, capacity: '11Gi' }), []],
    ['more access modes', pv('p', { ...fitting, accessModes: [RWX, RWO] }), []],
    ['wrong access modes', pv('p', { ...fitting, accessModes: [RWX] }), ['offers only ReadWriteMany']],
    ['access modes listed canonically', pv('p', { ...fitting, accessModes: [RWX, ROX] }), ['offers only ReadOnlyMany, ReadWriteMany']],
    ['no access modes', pv('p', { ...fitting, accessModes: [] }), ['offers no access modes']],
    ['10G for 10Gi', pv('p', { ...fitting, capacity: '10G' }), ['too small: 10G (9.31Gi) < 10Gi']],
    ['no capacity', { ...pv('p', fitting), capacity: undefined }, ['has no capacity.storage']],
    ['another class', pv('p', { ...fitting, storageClassName: 'fast' }), ['storageClassName "fast" != "slow"']],
    ['no class', pv('p', { ...fitting, storageClassName: undefined }), ['storageClassName "" != "slow"']],
    ['Block', pv('p', { ...fitting, volumeMode: 'Block' }), ['volumeMode Block != Filesystem']],
    ['labels not selected', pv('p', { ...fitting, labels: { disk: 'hdd' } }), ['selector does not match its labels']],
    [
      'pre-bound to another claim',
      pv('p', { ...fitting, claimRef: { namespace: 'default', name: 'other-claim' } }),
      ['pre-bound to default/other-claim'],
    ],
    ['claimRef without namespace', pv('p', { ...fitting, claimRef: { name: 'data-db-0' } }), ['claimRef has no namespace']],
    [
      'claimRef with a uid',
      pv('p', { ...fitting, claimRef: { namespace: 'default', name: 'data-db-0', uid: 'abc' } }),
      ['claimRef pins uid abc of an earlier claim'],
    ],
    [
      'pre-bound here: selector and class are not consulted',
      pv('p', { capacity: '10Gi', storageClassName: 'other', claimRef: { namespace: 'default', name: 'data-db-0' } }),
      [],
    ],
    [
      'pre-bound here: capacity still is',
      pv('p', { capacity: '1Gi', claimRef: { namespace: 'default', name: 'data-db-0' } }),
      ['too small: 1Gi < 10Gi'],
    ],
    [
      'several reasons, in a fixed order',
      pv('p', { capacity: '1Gi', accessModes: [ROX], volumeMode: 'Block', storageClassName: 'fast' }),
      [
        'offers only ReadOnlyMany',
        'too small: 1Gi < 10Gi',
        'volumeMode Block != Filesystem',
        'selector does not match its labels',
        'storageClassName "fast" != "slow"',
      ],
    ],
  ];
  for (const [name, volume, expected] of cases) {
    it(name, () => assert.deepEqual(reasonsAgainst(c, volume), expected));
  }

  it('the reverse of 10Gi/10G fits', () => {
    assert.deepEqual(reasonsAgainst(claim('c', { request: '10G' }), pv('p', { capacity: '10Gi' })), []);
  });

  it('explicit Filesystem equals unset', () => {
    assert.deepEqual(reasonsAgainst(claim('c', { volumeMode: 'Filesystem' }), pv('p')), []);
    assert.deepEqual(reasonsAgainst(claim('c'), pv('p', { volumeMode: 'Filesystem' })), []);
  });

  it('a claim without class matches only PVs without class', () => {
    assert.deepEqual(reasonsAgainst(claim('c'), pv('p', { storageClassName: '' })), []);
    assert.deepEqual(reasonsAgainst(claim('c'), pv('p', { storageClassName: 'fast' })), ['storageClassName "fast" != ""']);
  });
});

describe('matchClaim without volumeName', () => {
  it('picks the smallest fitting PV', () => {
    const result = matchClaim(claim('c', { request: '1Gi' }), [pv('p5', { capacity: '5Gi' }), pv('p3', { capacity: '3Gi' }), pv('p4', { capacity: '4Gi' })]);
    assert.equal(result.pv?.name, 'p3');
    assert.equal(result.path, 'match');
  });

  it('keeps the first of equally small PVs', () => {
    assert.equal(matchClaim(claim('c'), [pv('a'), pv('b')]).pv?.name, 'a');
  });

  it('searches the group with the fewest access modes first, even if its PV is larger', () => {
    const result = matchClaim(claim('c', { request: '1Gi' }), [
      pv('both', { capacity: '1Gi', accessModes: [RWO, RWX] }),
      pv('rwo', { capacity: '5Gi', accessModes: [RWO] }),
    ]);
    assert.equal(result.pv?.name, 'rwo');
  });

  it('takes a PV pre-bound to the claim at once over a smaller one in its group', () => {
    const result = matchClaim(claim('c', { request: '1Gi' }), [
      pv('small', { capacity: '1Gi' }),
      pv('mine', { capacity: '9Gi', claimRef: { namespace: 'default', name: 'c' } }),
    ]);
    assert.equal(result.pv?.name, 'mine');
    assert.equal(result.path, 'claimRef');
  });

  it('binds a free PV of a smaller access-mode group before reaching its own pre-bound PV', () => {
    const result = matchClaim(claim('c'), [
      pv('mine', { accessModes: [RWO, RWX], claimRef: { namespace: 'default', name: 'c' } }),
      pv('free', { accessModes: [RWO] }),
    ]);
    assert.equal(result.pv?.name, 'free');
    assert.equal(result.path, 'match');
  });

  it('lists fitting PVs first, then by number of reasons', () => {
    const result = matchClaim(claim('c'), [
      pv('two', { capacity: '1Gi', accessModes: [RWX] }),
      pv('one', { accessModes: [RWX] }),
      pv('fits'),
    ]);
    assert.deepEqual(
      result.verdicts.map((v) => [v.pv.name, v.reasons]),
      [
        ['fits', []],
        ['one', ['offers only ReadWriteMany']],
        ['two', ['offers only ReadWriteMany', 'too small: 1Gi < 2Gi']],
      ],
    );
  });

  it('binds nothing with an invalid selector', () => {
    const result = matchClaim(claim('c', { selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } }), [pv('p')]);
    assert.equal(result.pv, undefined);
    assert.equal(
      result.problem,
      "its selector is invalid, so no PV can bind: matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    );
  });

  it('a PV with a claimRef lacking a namespace never binds, even to the claim it names', () => {
    const result = matchClaim(claim('c'), [pv('p', { claimRef: { name: 'c' } })]);
    assert.equal(result.pv, undefined);
    assert.deepEqual(result.verdicts[0].reasons, ['claimRef has no namespace']);
  });

  it('namespace matters for a claimRef', () => {
    const result = matchClaim(claim('c'), [pv('p', { claimRef: { namespace: 'prod', name: 'c' } })]);
    assert.deepEqual(result.verdicts[0].reasons, ['pre-bound to prod/c']);
  });
});

describe('matchClaim with volumeName', () => {
  it('binds the named PV, ignoring the selector', () => {
    const result = matchClaim(claim('c', { volumeName: 'b', selector: { matchLabels: { x: 'y' } } }), [pv('a'), pv('b')]);
    assert.equal(result.pv?.name, 'b');
    assert.equal(result.path, 'volumeName');
  });

  it('compares capacities rounded up to whole bytes', () => {
    const named = claim('c', { request: '2', volumeName: 'p' });
    const volume = pv('p', { capacity: '1500m' });
    assert.equal(matchClaim(named, [volume]).pv?.name, 'p');
    assert.deepEqual(reasonsAgainst(named, volume), ['too small: 1500m < 2']);
  });

  const cases: Array<[string, ClaimSpec<string>, PvSpec<string>, string[]]> = [
    ['too small', claim('c', { volumeName: 'p' }), pv('p', { capacity: '1Gi' }), ['too small: 1Gi < 2Gi']],
    ['class', claim('c', { volumeName: 'p', storageClassName: 'slow' }), pv('p'), ['storageClassName "" != "slow"']],
    ['volumeMode', claim('c', { volumeName: 'p' }), pv('p', { volumeMode: 'Block' }), ['volumeMode Block != Filesystem']],
    ['access modes', claim('c', { volumeName: 'p' }), pv('p', { accessModes: [RWX] }), ['offers only ReadWriteMany']],
    [
      'checked in the controller order',
      claim('c', { volumeName: 'p', storageClassName: 'slow' }),
      pv('p', { capacity: '1Gi', accessModes: [RWX] }),
      ['too small: 1Gi < 2Gi', 'storageClassName "" != "slow"', 'offers only ReadWriteMany'],
    ],
    [
      'held for another claim',
      claim('c', { volumeName: 'p' }),
      pv('p', { claimRef: { namespace: 'default', name: 'd' } }),
      ['pre-bound to default/d'],
    ],
  ];
  for (const [name, c, volume, expected] of cases) {
    it(`does not bind: ${name}`, () => {
      const result = matchClaim(c, [volume]);
      assert.equal(result.pv, undefined);
      assert.deepEqual(result.verdicts, [{ pv: volume, reasons: expected }]);
    });
  }

  it('finishes a binding the PV agrees to without checking anything', () => {
    const result = matchClaim(claim('c', { volumeName: 'p' }), [pv('p', { capacity: '1', claimRef: { namespace: 'default', name: 'c' } })]);
    assert.equal(result.pv?.name, 'p');
  });

  it('reports a volumeName that names no PV', () => {
    const result = matchClaim(claim('c', { volumeName: 'pv9' }), [pv('p')]);
    assert.equal(result.problem, 'volumeName "pv9" names no PersistentVolume');
  });
});

/** The seed chart's situation with one broken PV. */
function myapp() {
  const claims = [0, 1, 2].map((i) => claim(`myappdata-myapp-${i}`));
  const pvs = [
    pv('pv001', { accessModes: [RWX, RWO] }),
    pv('pv002', { accessModes: [RWX] }),
    pv('pv003', { accessModes: [RWX, RWO] }),
  ];
  return { claims, pvs };
}

describe('simulateBinding', () => {
  it('three claims for two fitting PVs: the last stays Pending in input order, any may in another', () => {
    const { claims, pvs } = myapp();
    const result = simulateBinding(claims, pvs);
    assert.deepEqual([...result.bound], [
      ['default/myappdata-myapp-0', 'pv001'],
      ['default/myappdata-myapp-1', 'pv003'],
    ]);
    assert.equal(result.pending.length, 1);
    const [pending] = result.pending;
    assert.equal(pending.claim.name, 'myappdata-myapp-2');
    assert.equal(
      explainPending(pending),
      'no PV can bind (3 claims need ReadWriteOnce 2Gi; pv001, pv003 fit; pv002 offers only ReadWriteMany)',
    );
    assert.equal(result.nondeterministic.length, 1);
    const [contention] = result.nondeterministic;
    assert.deepEqual(contention.claims.map((c) => c.name), claims.map((c) => c.name));
    assert.deepEqual(contention.pvs.map((p) => p.name), ['pv001', 'pv003']);
    assert.deepEqual(contention.pendingInInputOrder.map((c) => c.name), ['myappdata-myapp-2']);
    assert.deepEqual(contention.mayStayPending.map((c) => c.name), claims.map((c) => c.name));
    assert.equal(pending.contention, contention);
  });

  it('claimRef pre-binding makes the same situation deterministic', () => {
    const { claims, pvs } = myapp();
    const prebound = pvs.map((p, i) => ({ ...p, accessModes: [RWX, RWO], claimRef: { namespace: 'default', name: `myappdata-myapp-${i}` } }));
    const result = simulateBinding([...claims].reverse(), [...prebound].reverse());
    assert.deepEqual(
      claims.map((c) => result.bound.get(claimKey(c))),
      ['pv001', 'pv002', 'pv003'],
    );
    assert.deepEqual(result.pending, []);
    assert.deepEqual(result.nondeterministic, []);
    assert.equal(result.outcomes.get('default/myappdata-myapp-1')?.path, 'claimRef');
  });

  it('reports contention even when every claim binds', () => {
    const result = simulateBinding([claim('a'), claim('b')], [pv('p1'), pv('p2')]);
    assert.equal(result.bound.size, 2);
    assert.equal(result.nondeterministic.length, 1);
    assert.deepEqual(result.nondeterministic[0].mayStayPending, []);
  });

  it('finds a claim stranded by another one taking the smallest PV first', () => {
    const any = claim('any', { request: '1Gi' });
    const picky = claim('picky', { request: '1Gi', selector: { matchLabels: { pool: 'small' } } });
    const pvs = [pv('big', { capacity: '5Gi' }), pv('small', { capacity: '1Gi', labels: { pool: 'small' } })];
    const result = simulateBinding([any, picky], pvs);
    assert.deepEqual(result.pending.map((p) => p.claim.name), ['picky']);
    assert.deepEqual(result.nondeterministic[0].mayStayPending.map((c) => c.name), ['picky']);
    assert.equal(
      explainPending(result.pending[0]),
      'no PV can bind (2 claims compete for big, small; small fits; big selector does not match its labels)',
    );
    assert.deepEqual(simulateBinding([picky, any], pvs).pending, []);
  });

  it('a claim may lose its only PV to a claim that fits an equally small one too', () => {
    const picky = claim('picky', { selector: { matchLabels: { id: 'p2' } } });
    const result = simulateBinding([claim('any'), picky], [pv('p1', { labels: { id: 'p1' } }), pv('p2', { labels: { id: 'p2' } })]);
    assert.deepEqual(result.pending, []);
    assert.deepEqual(result.nondeterministic[0].mayStayPending.map((c) => c.name), ['picky']);
  });

  it('finds a claim that stays Pending only in one particular order of the others', () => {
    const among = (...ids: string[]) => ({ matchExpressions: [{ key: 'id', operator: 'In', values: ids }] });
    const claims = [
      claim('a', { request: '1Gi', selector: among('p1', 'p3') }),
      claim('b', { request: '1Gi', selector: among('p2', 'p3') }),
      claim('x', { request: '2Gi', selector: among('p1', 'p2') }),
      claim('c', { request: '1Gi', selector: among('p3') }),
    ];
    const pvs = [
      pv('p1', { labels: { id: 'p1' } }),
      pv('p2', { labels: { id: 'p2' } }),
      pv('p3', { capacity: '1Gi', labels: { id: 'p3' } }),
    ];
    const result = simulateBinding(claims, pvs);
    assert.deepEqual(result.pending.map((p) => p.claim.name), ['c']);
    // c, a, b, x: c takes p3, a p1, b p2, and x is left out.
    assert.deepEqual(result.nondeterministic[0].mayStayPending.map((c) => c.name), ['a', 'b', 'x', 'c']);
  });

  it('a claim with more fitting PVs than competitors is never left out', () => {
    const result = simulateBinding([claim('a'), claim('b'), claim('c')], [pv('p1'), pv('p2'), pv('p3'), pv('p4')]);
    assert.deepEqual(result.nondeterministic[0].mayStayPending, []);
  });

  it('a claim naming an unclaimed PV races with claims that match it', () => {
    const named = claim('named', { volumeName: 'p1' });
    const other = claim('other');
    const result = simulateBinding([other, named], [pv('p1')]);
    assert.equal(result.bound.get('default/named'), 'p1');
    assert.deepEqual(result.pending.map((p) => p.claim.name), ['other']);
    assert.deepEqual(result.nondeterministic[0].mayStayPending.map((c) => c.name), ['named', 'other']);
  });

  it('explains a claim no PV fits, nearest first', () => {
    const result = simulateBinding(
      [claim('c', { request: '10Gi' })],
      [
        pv('a', { capacity: '1Gi', accessModes: [RWX] }),
        pv('b', { capacity: '10G' }),
        pv('c', { claimRef: { namespace: 'default', name: 'x' }, capacity: '10Gi' }),
        pv('d', { volumeMode: 'Block', storageClassName: 'fast', capacity: '1' }),
        pv('e', { storageClassName: 'fast', capacity: '20Gi' }),
      ],
    );
    assert.equal(
      explainPending(result.pending[0]),
      'no PV can bind (1 claim needs ReadWriteOnce 10Gi; b too small: 10G (9.31Gi) < 10Gi; c pre-bound to default/x; e storageClassName "fast" != ""; 2 more PVs do not fit)',
    );
    assert.equal(result.pending[0].contention, undefined);
  });

  it('says so when there are no PVs at all', () => {
    const result = simulateBinding([claim('c')], []);
    assert.equal(explainPending(result.pending[0]), 'no PV can bind (1 claim needs ReadWriteOnce 2Gi; there are no PersistentVolumes)');
  });

  it('keeps the first of two claims with the same namespace and name', () => {
    const result = simulateBinding([claim('c', { ref: 'first' }), claim('c', { ref: 'second' })], [pv('p')]);
    assert.equal(result.outcomes.get('default/c')?.claim.ref, 'first');
    assert.equal(result.outcomes.size, 1);
  });

  it('only one claim binds a PV two claims name, and the race is reported', () => {
    const result = simulateBinding([claim('a', { volumeName: 'p' }), claim('b', { volumeName: 'p' })], [pv('p')]);
    assert.equal(result.bound.get('default/a'), 'p');
    assert.deepEqual(result.pending.map((p) => [p.claim.name, explainPending(p)]), [
      ['b', 'no PV can bind (2 claims need ReadWriteOnce 2Gi; p fits)'],
    ]);
  });
});

describe('describeNeeds', () => {
  it('names modes, size, class, volume mode and selector', () => {
    assert.equal(describeNeeds(claim('c')), 'ReadWriteOnce 2Gi');
    assert.equal(
      describeNeeds(
        claim('c', {
          accessModes: [RWX, RWO],
          request: '10G',
          storageClassName: 'fast',
          volumeMode: 'Block',
          selector: { matchLabels: { a: 'b' } },
        }),
      ),
      'ReadWriteOnce+ReadWriteMany 10G of class "fast", Block, selector {a=b}',
    );
  });
});
