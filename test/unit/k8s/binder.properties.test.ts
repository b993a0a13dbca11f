import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ClaimSpec, claimKey, MISMATCHES_SHOWN, PvSpec, reasonsAgainst, simulateBinding } from '../../../lib/k8s/binder';
import { quantityOf } from '../../../lib/k8s/quantity';

const MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

const claimArbitrary = fc.record({
  namespace: fc.constantFrom('default', 'prod'),
  accessModes: fc.subarray(MODES, { minLength: 1 }),
  request: fc.bigInt({ min: 1n, max: 2n ** 40n }),
  storageClassName: fc.constantFrom('', 'fast', 'slow'),
  volumeMode: fc.constantFrom(undefined, 'Filesystem', 'Block'),
});

type ClaimFields = typeof claimArbitrary extends fc.Arbitrary<infer T> ? T : never;

function claimFrom(fields: ClaimFields, index: number): ClaimSpec<number> {
  return {
    namespace: fields.namespace,
    name: `data-db-${index}`,
    request: quantityOf(fields.request),
    accessModes: fields.accessModes,
    storageClassName: fields.storageClassName,
    ...(fields.volumeMode === undefined ? {} : { volumeMode: fields.volumeMode }),
    ref: index,
  };
}

/** A PV that exactly matches the claim and is pre-bound to it by claimRef. */
function ownPv(claim: ClaimSpec<number>): PvSpec<number> {
  return {
    name: `pv-${claim.ref}`,
    capacity: claim.request,
    accessModes: [...claim.accessModes].reverse(),
    ...(claim.storageClassName === '' ? {} : { storageClassName: claim.storageClassName }),
    ...(claim.volumeMode === undefined ? {} : { volumeMode: claim.volumeMode }),
    labels: {},
    claimRef: { namespace: claim.namespace, name: claim.name },
    ref: claim.ref,
  };
}

const extraPvArbitrary = fc.record({
  index: fc.nat(),
  capacity: fc.bigInt({ min: 0n, max: 2n ** 41n }),
  accessModes: fc.subarray(MODES),
  storageClassName: fc.constantFrom(undefined, '', 'fast', 'slow'),
  volumeMode: fc.constantFrom(undefined, 'Filesystem', 'Block'),
  // Never pre-bound to a pool claim: with two PVs pre-bound to one claim, which one binds depends on order
  // (the pv-claim-ref rule reports that case).
  claimRefName: fc.option(fc.constantFrom('other', 'data-db-0-old')),
});

function extraPv(fields: typeof extraPvArbitrary extends fc.Arbitrary<infer T> ? T : never, i: number): PvSpec<number> {
  return {
    name: `extra-${i}`,
    capacity: quantityOf(fields.capacity),
    accessModes: fields.accessModes,
    ...(fields.storageClassName === undefined ? {} : { storageClassName: fields.storageClassName }),
    ...(fields.volumeMode === undefined ? {} : { volumeMode: fields.volumeMode }),
    labels: {},
    ...(fields.claimRefName === null ? {} : { claimRef: { namespace: 'default', name: fields.claimRefName } }),
    ref: -1 - i,
  };
}

const pools = fc
  .array(claimArbitrary, { minLength: 1, maxLength: 8 })
  .map((fields) => fields.map(claimFrom))
  .chain((claims) =>
    fc.record({
      claims: fc.constant(claims),
      pvs: fc.shuffledSubarray(claims.map(ownPv), { minLength: claims.length, maxLength: claims.length }),
    }),
  );

describe('binder properties', () => {
  it('a pool of pre-bound PVs exactly matching the claims binds every claim to its own PV', () => {
    fc.assert(
      fc.property(pools, ({ claims, pvs }) => {
        const result = simulateBinding(claims, pvs);
        for (const claim of claims) {
          assert.equal(result.bound.get(claimKey(claim)), `pv-${claim.ref}`);
          assert.equal(result.outcomes.get(claimKey(claim))?.path, 'claimRef');
        }
        assert.deepEqual(result.pending, []);
        assert.deepEqual(result.nondeterministic, []);
      }),
    );
  });

  it('shrinking any PV below its claim leaves that claim pending with a "too small" reason', () => {
    fc.assert(
      fc.property(pools, fc.nat(), fc.bigInt({ min: 1n, max: 2n ** 40n }), ({ claims, pvs }, pick, shortBy) => {
        const victim = pvs[pick % pvs.length];
        const request = claims[victim.ref].request!;
        const shrunk = { ...victim, capacity: quantityOf(request.num - 1n - (shortBy % request.num)) };
        const result = simulateBinding(claims, pvs.map((pv) => (pv === victim ? shrunk : pv)));
        const claim = claims[victim.ref];
        assert.equal(result.bound.has(claimKey(claim)), false);
        const pending = result.pending.find((p) => p.claim === claim);
        assert.ok(pending);
        // Its own PV has exactly one reason; it is among the nearest shown unless as many PVs before it have one too.
        assert.match(reasonsAgainst(claim, shrunk).join(', '), /^too small: [^,]*$/);
        const own = pending.mismatches.find((verdict) => verdict.pv.name === victim.name);
        if (own !== undefined) assert.match(own.reasons.join(', '), /^too small: /);
        else assert.deepEqual(pending.mismatches.map((verdict) => verdict.reasons.length), Array(MISMATCHES_SHOWN).fill(1));
        for (const other of claims) {
          if (other !== claim) assert.equal(result.bound.get(claimKey(other)), `pv-${other.ref}`);
        }
      }),
    );
  });

  // The controller tries access-mode groups fewest modes first, so a PV pre-bound to a claim keeps it only against
  // free PVs offering no fewer modes. Here each pre-bound PV offers exactly its claim's modes: any added PV that can
  // serve the claim offers a superset of them, so it sits in the same group (where the pre-bound PV wins) or later.
  it('adding PVs never un-binds a claim from a pre-bound PV that offers exactly its access modes', () => {
    fc.assert(
      fc.property(pools, fc.array(extraPvArbitrary, { maxLength: 6 }), fc.nat(), ({ claims, pvs }, extras, at) => {
        const added = extras.map(extraPv);
        const position = at % (pvs.length + 1);
        const result = simulateBinding(claims, [...pvs.slice(0, position), ...added, ...pvs.slice(position)]);
        for (const claim of claims) assert.equal(result.bound.get(claimKey(claim)), `pv-${claim.ref}`);
      }),
    );
  });

  it('a free PV offering strictly fewer access modes than the pre-bound PVs takes a claim away from its own PV', () => {
    fc.assert(
      fc.property(pools, fc.nat(), fc.nat(), ({ claims }, pick, at) => {
        const target = claims[pick % claims.length];
        fc.pre(target.accessModes.length < MODES.length);
        // Every pre-bound PV offers all modes; the spare offers exactly the target's, so its group is tried first.
        const own = claims.map((claim) => ({ ...ownPv(claim), accessModes: MODES }));
        const { claimRef: _, ...unbound } = ownPv(target);
        const spare: PvSpec<number> = { ...unbound, name: 'spare', ref: -1 };
        const position = at % (own.length + 1);
        const result = simulateBinding(claims, [...own.slice(0, position), spare, ...own.slice(position)]);
        const takers = claims.filter((claim) => result.bound.get(claimKey(claim)) === 'spare');
        assert.equal(takers.length, 1);
        const boundPvs = new Set(result.bound.values());
        assert.equal(boundPvs.has(`pv-${takers[0].ref}`), false, 'the taker leaves its pre-bound PV unused');
        for (const claim of claims) {
          if (claim !== takers[0]) assert.equal(result.bound.get(claimKey(claim)), `pv-${claim.ref}`);
        }
      }),
    );
  });

  it('the order of PVs and claims does not change pre-bound results', () => {
    fc.assert(
      fc.property(
        pools,
        fc.array(extraPvArbitrary, { maxLength: 4 }),
        fc.integer(),
        ({ claims, pvs }, extras, seed) => {
          const all = [...pvs, ...extras.map(extraPv)];
          const shuffled = shuffle(all, seed);
          const first = simulateBinding(claims, all);
          const second = simulateBinding(shuffle(claims, seed + 1), shuffled);
          for (const claim of claims) {
            const outcome = first.outcomes.get(claimKey(claim))!;
            if (outcome.path === 'claimRef') assert.equal(second.bound.get(claimKey(claim)), outcome.pv?.name);
          }
        },
      ),
    );
  });

  it('every bound PV goes to one claim only, and fits it', () => {
    fc.assert(
      fc.property(
        fc.array(claimArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(extraPvArbitrary, { maxLength: 8 }),
        (claimFields, pvFields) => {
          const claims = claimFields.map(claimFrom);
          const pvs = pvFields.map(extraPv);
          const result = simulateBinding(claims, pvs);
          const names = [...result.bound.values()];
          assert.equal(new Set(names).size, names.length);
          assert.equal(result.bound.size + result.pending.length, claims.length);
          for (const claim of claims) {
            const pv = result.outcomes.get(claimKey(claim))?.pv;
            if (pv) assert.deepEqual(reasonsAgainst(claim, pv), []);
          }
          for (const contention of result.nondeterministic) {
            assert.ok(contention.claims.length >= 2);
            for (const claim of contention.pendingInInputOrder) assert.ok(contention.mayStayPending.includes(claim));
          }
        },
      ),
    );
  });
});

const smallClaimArbitrary = fc.record({
  accessModes: fc.subarray(['ReadWriteOnce', 'ReadWriteMany'], { minLength: 1 }),
  request: fc.integer({ min: 1, max: 3 }),
  pool: fc.option(fc.constantFrom('a', 'b')),
  volumeIndex: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 5 }),
});
const smallPvArbitrary = fc.record({
  accessModes: fc.subarray(['ReadWriteOnce', 'ReadWriteMany'], { minLength: 1 }),
  capacity: fc.integer({ min: 1, max: 3 }),
  pool: fc.constantFrom('a', 'b'),
});

describe('binder contention properties', () => {
  it('claims left Pending in any handling order are predicted: pending, or may stay Pending', () => {
    fc.assert(
      fc.property(
        fc.array(smallClaimArbitrary, { minLength: 1, maxLength: 6 }),
        fc.array(smallPvArbitrary, { maxLength: 7 }),
        fc.integer(),
        (claimFields, pvFields, seed) => {
          const claims: ClaimSpec<number>[] = claimFields.map((f, i) => ({
            namespace: 'default',
            name: `c${i}`,
            request: quantityOf(f.request),
            accessModes: f.accessModes,
            storageClassName: '',
            ...(f.pool === null ? {} : { selector: { matchLabels: { pool: f.pool } } }),
            ...(f.volumeIndex === null ? {} : { volumeName: `p${f.volumeIndex}` }),
            ref: i,
          }));
          const pvs: PvSpec<number>[] = pvFields.map((f, i) => ({
            name: `p${i}`,
            capacity: quantityOf(f.capacity),
            accessModes: f.accessModes,
            labels: { pool: f.pool },
            ref: i,
          }));
          const predicted = simulateBinding(claims, pvs);
          const other = simulateBinding(shuffle(claims, seed), pvs);
          const mayStayPending = new Set(predicted.pending.map((p) => claimKey(p.claim)));
          for (const contention of predicted.nondeterministic) {
            for (const claim of contention.mayStayPending) mayStayPending.add(claimKey(claim));
          }
          for (const pending of other.pending) assert.ok(mayStayPending.has(claimKey(pending.claim)), pending.claim.name);
          if (predicted.nondeterministic.length === 0) {
            assert.deepEqual([...other.bound].sort(), [...predicted.bound].sort());
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** A deterministic Fisher–Yates shuffle (fast-check supplies the seed, so failures replay). */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed >>> 0 || 1;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) >>> 0;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
