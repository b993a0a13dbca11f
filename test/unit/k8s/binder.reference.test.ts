import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type BindingSimulation,
  type ClaimSpec,
  type Contention,
  matchClaim,
  MISMATCHES_SHOWN,
  type PvSpec,
  simulateBinding,
} from '../../../lib/k8s/binder';
import { quantityOf } from '../../../lib/k8s/quantity';
import type { LabelSelector, Labels } from '../../../lib/k8s/selector';
import * as reference from './reference-binder';

// Small value sets on purpose: equal capacities, shared classes and colliding names are where an index can go wrong.
const MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const NAMESPACES = ['default', 'prod'];
const CLAIM_NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
const PV_NAMES = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
const SELECTORS = [
  undefined,
  { matchLabels: { tier: 'db' } },
  { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] },
  { matchExpressions: [{ key: 'zone', operator: 'In' }] }, // invalid: In without values
];

const claimArbitrary = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom(...CLAIM_NAMES),
  request: fc.option(fc.integer({ min: 0, max: 4 })),
  accessModes: fc.subarray(MODES, { maxLength: 2 }),
  storageClassName: fc.constantFrom('', 'fast', 'slow'),
  volumeMode: fc.constantFrom(undefined, 'Filesystem', 'Block'),
  selector: fc.constantFrom(...SELECTORS),
  volumeName: fc.oneof({ arbitrary: fc.constant(null), weight: 3 }, { arbitrary: fc.constantFrom(...PV_NAMES, 'missing'), weight: 1 }),
});

const claimRefArbitrary = fc.option(
  fc.record({
    namespace: fc.constantFrom(undefined, '', ...NAMESPACES),
    name: fc.constantFrom(undefined, ...CLAIM_NAMES),
    uid: fc.constantFrom(undefined, undefined, 'u1'),
  }),
  { freq: 2 },
);

const pvArbitrary = fc.record({
  name: fc.constantFrom(...PV_NAMES),
  capacity: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 6 }), // absent 1 time in 6
  accessModes: fc.subarray(MODES),
  storageClassName: fc.constantFrom(undefined, '', 'fast', 'slow'),
  volumeMode: fc.constantFrom(undefined, 'Filesystem', 'Block'),
  labels: fc.record({ tier: fc.constantFrom('db', 'web'), zone: fc.constantFrom('a', 'c') }, { requiredKeys: [] }),
  claimRef: claimRefArbitrary,
});

interface ClaimFields {
  readonly namespace: string;
  readonly name: string;
  readonly request: number | null;
  readonly accessModes: string[];
  readonly storageClassName: string;
  readonly volumeMode: string | undefined;
  readonly selector: LabelSelector | undefined;
  readonly volumeName: string | null;
}

interface PvFields {
  readonly name: string;
  readonly capacity: number | null;
  readonly accessModes: string[];
  readonly storageClassName: string | undefined;
  readonly volumeMode: string | undefined;
  readonly labels: Labels;
  readonly claimRef: { readonly namespace?: string; readonly name?: string; readonly uid?: string } | null;
}

function claimFrom(fields: ClaimFields, ref: number): ClaimSpec<number> {
  return {
    namespace: fields.namespace,
    name: fields.name,
    ...(fields.request === null ? {} : { request: quantityOf(fields.request) }),
    accessModes: fields.accessModes,
    storageClassName: fields.storageClassName,
    ...(fields.volumeMode === undefined ? {} : { volumeMode: fields.volumeMode }),
    ...(fields.selector === undefined ? {} : { selector: fields.selector }),
    ...(fields.volumeName === null ? {} : { volumeName: fields.volumeName }),
    ref,
  };
}

function pvFrom(fields: PvFields, ref: number): PvSpec<number> {
  const claimRef = fields.claimRef;
  return {
    name: fields.name,
    ...(fields.capacity === null ? {} : { capacity: quantityOf(fields.capacity) }),
    accessModes: fields.accessModes,
    ...(fields.storageClassName === undefined ? {} : { storageClassName: fields.storageClassName }),
    ...(fields.volumeMode === undefined ? {} : { volumeMode: fields.volumeMode }),
    labels: fields.labels,
    ...(claimRef === null
      ? {}
      : {
          claimRef: {
            ...(claimRef.namespace === undefined ? {} : { namespace: claimRef.namespace }),
            ...(claimRef.name === undefined ? {} : { name: claimRef.name }),
            ...(claimRef.uid === undefined ? {} : { uid: claimRef.uid }),
          },
        }),
    ref,
  };
}

const inputs = fc.record({
  claims: fc.array(claimArbitrary, { maxLength: 8 }).map((all) => all.map(claimFrom)),
  pvs: fc.array(pvArbitrary, { maxLength: 10 }).map((all) => all.map((fields, i) => pvFrom(fields, 100 + i))),
});

const refs = (items: readonly { readonly ref: number }[]) => items.map((item) => item.ref);

function contentionView(contention: Contention<number, number> | reference.Contention<number, number>) {
  return {
    claims: refs(contention.claims),
    pvs: refs(contention.pvs),
    pendingInInputOrder: refs(contention.pendingInInputOrder),
    mayStayPending: refs(contention.mayStayPending),
  };
}

/** Everything a simulation says, by refs. The reference lists every mismatch; the library the nearest few. */
function view(result: BindingSimulation<number, number> | reference.BindingSimulation<number, number>) {
  return {
    bound: [...result.bound],
    outcomes: [...result.outcomes].map(([key, o]) => [key, o.claim.ref, o.pv?.ref, o.path]),
    pending: result.pending.map((p) => ({
      claim: p.claim.ref,
      fitting: refs(p.fitting),
      mismatches: p.mismatches.slice(0, MISMATCHES_SHOWN).map((v) => [v.pv.ref, v.reasons]),
      mismatchCount: 'mismatchCount' in p ? p.mismatchCount : p.mismatches.length,
      problem: p.problem,
      contention: p.contention && contentionView(p.contention),
    })),
    nondeterministic: result.nondeterministic.map(contentionView),
  };
}

describe('the indexed binder against the scanning reference', () => {
  it('simulateBinding says the same on random small inputs', () => {
    fc.assert(
      fc.property(inputs, ({ claims, pvs }) => {
        assert.deepEqual(view(simulateBinding(claims, pvs)), view(reference.simulateBinding(claims, pvs)));
      }),
      { numRuns: 2000 },
    );
  });

  it('simulateBinding says the same with many PVs (label-indexed searches) and explained within classes', () => {
    // Mostly one class, one mode, no claimRef: long lists of alike PVs that only labels and capacity tell apart.
    const mostly = <T>(usual: T, ...others: T[]) =>
      fc.oneof({ arbitrary: fc.constant(usual), weight: 5 }, { arbitrary: fc.constantFrom(usual, ...others), weight: 1 });
    const alikeClaim = fc.record({
      namespace: fc.constantFrom(...NAMESPACES),
      name: fc.constantFrom(...CLAIM_NAMES),
      request: fc.option(fc.integer({ min: 0, max: 4 })),
      accessModes: mostly(['ReadWriteOnce'], [], ['ReadWriteMany']),
      storageClassName: mostly('fast', ''),
      volumeMode: mostly<string | undefined>(undefined, 'Block'),
      selector: fc.constantFrom(...SELECTORS, { matchLabels: { tier: 'db', zone: 'a' } }, { matchLabels: { zone: 'c' } }),
      volumeName: mostly<string | null>(null, ...PV_NAMES, 'missing'),
    });
    const alikePv = fc.record({
      name: fc.constantFrom(...PV_NAMES),
      capacity: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 8 }), // absent 1 time in 8
      accessModes: mostly(['ReadWriteOnce'], ['ReadWriteOnce', 'ReadWriteMany']),
      storageClassName: mostly<string | undefined>('fast', undefined),
      volumeMode: mostly<string | undefined>(undefined, 'Filesystem', 'Block'),
      labels: fc.record({ tier: fc.constantFrom('db', 'web'), zone: fc.constantFrom('a', 'c') }, { requiredKeys: [] }),
      claimRef: fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: claimRefArbitrary, weight: 1 }),
    });
    const many = fc.record({
      claims: fc.array(alikeClaim, { maxLength: 8 }).map((all) => all.map(claimFrom)),
      pvs: fc.array(alikePv, { minLength: 16, maxLength: 40 }).map((all) => all.map((fields, i) => pvFrom(fields, 100 + i))),
    });
    fc.assert(
      fc.property(many, ({ claims, pvs }) => {
        assert.deepEqual(view(simulateBinding(claims, pvs)), view(reference.simulateBinding(claims, pvs)));
      }),
      { numRuns: 300 },
    );
  });

  it('matchClaim says the same, with bindings made so far', () => {
    const bindingsArbitrary = fc
      .array(fc.tuple(fc.constantFrom(...PV_NAMES), fc.constantFrom(...NAMESPACES), fc.constantFrom(...CLAIM_NAMES)), {
        maxLength: 4,
      })
      .map((entries) => new Map(entries.map(([pv, ns, name]) => [pv, `${ns}/${name}`])));
    fc.assert(
      fc.property(inputs, claimArbitrary, bindingsArbitrary, ({ pvs }, fields, bindings) => {
        const claim = claimFrom(fields, 0);
        const fast = matchClaim(claim, pvs, bindings);
        const slow = reference.matchClaim(claim, pvs, bindings);
        assert.deepEqual(
          [fast.pv?.ref, fast.path, fast.problem, fast.verdicts.map((v) => [v.pv.ref, v.reasons])],
          [slow.pv?.ref, slow.path, slow.problem, slow.verdicts.map((v) => [v.pv.ref, v.reasons])],
        );
      }),
      { numRuns: 2000 },
    );
  });
});
