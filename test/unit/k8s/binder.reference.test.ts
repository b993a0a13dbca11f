/**
 * lib/k8s/binder.ts against the exhaustive reference (reference-binder.ts) on random small scenarios (issue 9):
 * every claim gets the class the reference finds over every order and tie-break, and document order never changes
 * what the binder or the linter says.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bindClaims, type ClaimCreation, type ClaimSpec, type PvSpec } from '../../../lib/k8s/binder';
import { parseQuantity } from '../../../lib/k8s/quantity';
import { loadText } from '../../../lib/load/load';
import { lintManifests } from '../../../lib/api';
import { referenceOutcomes } from './reference-binder';

const RWO = 'ReadWriteOnce';
const ROX = 'ReadOnlyMany';
const RWX = 'ReadWriteMany';
const SIZES = ['1Gi', '2Gi', '3Gi'];

/** `arbitrary` once in `rarity` draws, else null. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, rarity: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: rarity - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const modesArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constant([RWO]) },
  { weight: 2, arbitrary: fc.constantFrom([RWO, RWX], [RWO, ROX], [RWX, RWO, ROX]) },
  { weight: 1, arbitrary: fc.subarray([RWO, ROX, RWX], { minLength: 1 }) },
);

const pvArbitrary = fc.record({
  size: fc.constantFrom(...SIZES, '1Gi'),
  modes: modesArbitrary,
  className: fc.constantFrom('', '', '', '', '', 'fast'),
  block: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
  tier: fc.constantFrom('a', 'b'),
  claimRef: rarely(fc.nat({ max: 6 }), 4),
});

const claimArbitrary = fc.record({
  size: fc.constantFrom('1Gi', '1Gi', '2Gi'),
  modes: fc.oneof({ weight: 5, arbitrary: fc.constant([RWO]) }, { weight: 1, arbitrary: fc.subarray([RWO, ROX, RWX], { minLength: 1 }) }),
  className: fc.constantFrom('', '', '', '', '', 'fast'),
  block: fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
  selector: rarely(fc.constantFrom('a', 'b'), 5),
  volumeName: rarely(fc.nat({ max: 7 }), 8),
  set: fc.constantFrom(undefined, 's1', 's1', 's2'),
  template: fc.constantFrom('data', 'data', 'logs'),
});

const scenarioArbitrary = fc.record({
  claims: fc.array(claimArbitrary, { minLength: 1, maxLength: 6 }),
  pvs: fc.array(pvArbitrary, { minLength: 1, maxLength: 8 }),
  parallel: fc.record({ s1: fc.boolean(), s2: fc.boolean() }),
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Claims and PVs of a scenario: StatefulSet claims numbered by ordinal per set and template, names unique. */
function build(scenario: Scenario): { claims: ClaimSpec<string>[]; pvs: PvSpec<string>[] } {
  const nextOrdinal = new Map<string, number>();
  const claims: ClaimSpec<string>[] = scenario.claims.map((c, i) => {
    let name = `c${i}`;
    let creation: ClaimCreation | undefined;
    if (c.set !== undefined) {
      const slot = `${c.set}/${c.template}`;
      const ordinal = nextOrdinal.get(slot) ?? 0;
      nextOrdinal.set(slot, ordinal + 1);
      name = `${c.template}-${c.set}-${ordinal}`;
      creation = {
        statefulSet: `default/${c.set}`,
        ordinal,
        firstOrdinal: 0,
        podManagement: scenario.parallel[c.set as 's1' | 's2'] ? 'Parallel' : 'OrderedReady',
      };
    }
    return {
      namespace: 'default',
      name,
      request: parseQuantity(c.size)!,
      accessModes: c.modes,
      storageClassName: c.className,
      ...(c.block ? { volumeMode: 'Block' } : {}),
      ...(c.selector === null ? {} : { selector: { matchLabels: { tier: c.selector } } }),
      ...(c.volumeName === null ? {} : { volumeName: `pv${c.volumeName}` }),
      ...(creation === undefined ? {} : { creation }),
      ref: name,
    };
  });
  const pvs: PvSpec<string>[] = scenario.pvs.map((p, i) => ({
    name: `pv${i}`,
    capacity: parseQuantity(p.size)!,
    accessModes: p.modes,
    ...(p.className === '' ? {} : { storageClassName: p.className }),
    ...(p.block ? { volumeMode: 'Block' } : {}),
    labels: { tier: p.tier },
    ...(p.claimRef === null ? {} : { claimRef: { namespace: 'default', name: claims[p.claimRef]?.name ?? 'other' } }),
    ref: `pv${i}`,
  }));
  return { claims, pvs };
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed || 1;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

/** What the binder says, without document order: class, predicted PV, alternatives, per claim. */
function view(claims: ClaimSpec<string>[], pvs: PvSpec<string>[]) {
  const result = bindClaims(claims, pvs);
  return Object.fromEntries(
    [...result.outcomes].map(([key, o]) => [key, { class: o.class, pv: o.pv?.name, alternatives: o.alternatives.map((p) => p.name) }]),
  );
}

describe('binder against the exhaustive reference', () => {
  it('gives every claim the class the reference finds over every order and tie-break (<= 6 claims, <= 8 PVs)', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const { claims, pvs } = build(scenario);
        const reference = referenceOutcomes(claims, pvs);
        const result = bindClaims(claims, pvs);
        for (const claim of claims) {
          const key = `default/${claim.name}`;
          const expected = reference.get(key)!;
          const actual = result.outcomes.get(key)!;
          assert.equal(actual.class, expected.class, `${claim.name}: ${actual.class} != reference ${expected.class}`);
          if (expected.class === 'bound' || expected.class === 'one-of-several') {
            assert.deepEqual(new Set(actual.alternatives.map((p) => p.name)), expected.pvs, `${claim.name}: alternatives`);
          }
          if (expected.class === 'bound') assert.equal(actual.pv?.name, [...expected.pvs][0]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the issue 9 example: big (RWO+RWX) or small (RWO+ROX), in random order of the groups', () => {
    const claim: ClaimSpec<string> = { namespace: 'default', name: 'c', request: parseQuantity('512Mi')!, accessModes: [RWO], storageClassName: '', ref: 'c' };
    const pvs: PvSpec<string>[] = [
      { name: 'big', capacity: parseQuantity('100Gi')!, accessModes: [RWO, RWX], labels: {}, ref: 'big' },
      { name: 'small', capacity: parseQuantity('512Mi')!, accessModes: [RWO, ROX], labels: {}, ref: 'small' },
    ];
    assert.deepEqual(referenceOutcomes([claim], pvs).get('default/c'), { class: 'one-of-several', pvs: new Set(['big', 'small']) });
  });

  it('document order never changes what the binder says', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 1, max: 2 ** 30 }), (scenario, seed) => {
        const { claims, pvs } = build(scenario);
        assert.deepEqual(view(shuffle(claims, seed), shuffle(pvs, seed + 1)), view(claims, pvs));
      }),
      { numRuns: 300 },
    );
  });
});

/** A scenario as YAML documents: standalone claims and their PVs. */
function documents(claims: ClaimSpec<string>[], pvs: PvSpec<string>[]): string[] {
  const claimDocs = claims.map((c) =>
    [
      'apiVersion: v1',
      'kind: PersistentVolumeClaim',
      `metadata: { name: ${c.name}, namespace: default }`,
      'spec:',
      `  accessModes: [${c.accessModes.join(', ')}]`,
      `  storageClassName: "${c.storageClassName}"`,
      c.volumeMode ? `  volumeMode: ${c.volumeMode}` : '',
      c.selector ? `  selector: { matchLabels: { tier: ${c.selector.matchLabels!.tier} } }` : '',
      c.volumeName ? `  volumeName: ${c.volumeName}` : '',
      `  resources: { requests: { storage: ${c.request!.num === 0n ? 0 : formatGi(c)} } }`,
    ]
      .filter((line) => line !== '')
      .join('\n'),
  );
  const pvDocs = pvs.map((p) =>
    [
      'apiVersion: v1',
      'kind: PersistentVolume',
      `metadata: { name: ${p.name}, labels: { tier: ${p.labels.tier} } }`,
      'spec:',
      `  capacity: { storage: ${Number(p.capacity!.num / p.capacity!.den / 2n ** 30n)}Gi }`,
      `  accessModes: [${p.accessModes.join(', ')}]`,
      p.storageClassName ? `  storageClassName: ${p.storageClassName}` : '',
      p.volumeMode ? `  volumeMode: ${p.volumeMode}` : '',
      p.claimRef ? `  claimRef: { namespace: default, name: ${p.claimRef.name} }` : '',
      `  nfs: { server: nfs1, path: /data/${p.name} }`,
    ]
      .filter((line) => line !== '')
      .join('\n'),
  );
  // Class "fast" has no provisioner, so every claim is held to the PVs (the binder's claims, not a provisioner's).
  const storageClass = 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: kubernetes.io/no-provisioner';
  return [storageClass, ...claimDocs, ...pvDocs];
}

function formatGi(claim: ClaimSpec): string {
  return `${Number(claim.request!.num / claim.request!.den / 2n ** 30n)}Gi`;
}

function storageFindings(docs: readonly string[]) {
  const { findings } = lintManifests(loadText(docs.join('\n---\n'), 'set.yaml').manifests);
  return findings.filter((f) => f.rule.startsWith('pvc-')).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message }));
}

const standalone = scenarioArbitrary.map((scenario) => ({
  ...scenario,
  claims: scenario.claims.map((c) => ({ ...c, set: undefined })),
}));

describe('the linter verdict is a function of the binding class', () => {
  it('error for always Pending, a warning naming the alternatives for the middle classes, nothing for always the same PV', () => {
    fc.assert(
      fc.property(standalone, (scenario) => {
        const { claims, pvs } = build(scenario);
        const reference = referenceOutcomes(claims, pvs);
        const findings = storageFindings(documents(claims, pvs));
        const names = (f: { message: string }, name: string) => new RegExp(`(^|[ (,])${name}([ :,)]|$)`).test(f.message);
        for (const claim of claims) {
          const { class: cls, pvs: alternatives } = reference.get(`default/${claim.name}`)!;
          const errors = findings.filter((f) => f.severity === 'error' && names(f, claim.name));
          const warnings = findings.filter((f) => f.severity === 'warning' && names(f, claim.name));
          const own = findings.filter((f) => f.message.startsWith(`${claim.name}:`) || f.message.startsWith(`${claim.name} `));
          if (cls === 'pending') assert.ok(errors.some((f) => f.message.startsWith(`${claim.name}: `)), `${claim.name} pending: ${JSON.stringify(findings)}`);
          if (cls === 'bound') {
            assert.deepEqual(errors, [], `${claim.name} bound`);
            assert.deepEqual(own.filter((f) => !f.message.includes('instead of')), [], `${claim.name} bound`);
          }
          if (cls === 'one-of-several') {
            assert.deepEqual(errors, [], `${claim.name} one-of-several`);
            assert.ok(warnings.length > 0, `${claim.name} one-of-several: ${JSON.stringify(findings)}`);
            if (warnings.every((f) => f.message.startsWith(`${claim.name} may bind`))) {
              for (const pv of alternatives) assert.ok(warnings.some((f) => names(f, pv)), `${claim.name}: names ${pv}`);
            }
          }
          if (cls === 'sometimes-pending') {
            assert.ok(warnings.length + errors.length > 0, `${claim.name} sometimes-pending: ${JSON.stringify(findings)}`);
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('document order never changes a finding', () => {
    fc.assert(
      fc.property(standalone, fc.integer({ min: 1, max: 2 ** 30 }), (scenario, seed) => {
        const { claims, pvs } = build(scenario);
        const docs = documents(claims, pvs);
        const sort = (list: ReturnType<typeof storageFindings>) => list.map((f) => JSON.stringify(f)).sort();
        assert.deepEqual(sort(storageFindings(shuffle(docs, seed))), sort(storageFindings(docs)));
      }),
      { numRuns: 120 },
    );
  });
});
