/**
 * Constructs refuse what the API server refuses (issue 10), property-tested: random StatefulApp and NfsVolumePool
 * props, each field valid or one of the values a 1.28 API server refuses. Valid ⇒ the app synthesizes (the
 * synth-time lint passes), lints clean and passes the upstream 1.28 definitions; invalid ⇒ the constructor throws
 * an error naming the construct.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Size, Testing } from 'cdk8s';
import { Cpu, Topology } from 'cdk8s-plus-28';
import fc from 'fast-check';
import {
  AccessMode, ContainerSecurity, EnvValue, NfsVolumePool, PodVolume, PoolBinding, Probe, StatefulApp, StatefulAppProps,
  VolumeClaimTemplate,
} from '../../lib/constructs';
import { synthLintErrors } from '../../lib/constructs/validation';
import { newChart } from '../unit/constructs/helpers';
import { loadValidators, UPSTREAM_SKIP, upstreamErrors } from './upstream-oracle';

/** A value that is either valid or one the API server refuses, and which. */
type Pick<T> = { readonly value: T; readonly bad: boolean };
const either = <T>(good: readonly T[], bad: readonly T[]): fc.Arbitrary<Pick<T>> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...good).map((value) => ({ value, bad: false })) },
    { weight: 1, arbitrary: fc.constantFrom(...bad).map((value) => ({ value, bad: true })) },
  );

const appArbitrary = fc.record({
  name: fc.constantFrom('db', 'pg', 'zk-1', 'kafka'),
  replicas: fc.integer({ min: 0, max: 4 }),
  envName: either(['PGDATA', 'my.env-name', '_X', 'A1'], ['', 'A B', 'X=Y', '1ABC']),
  probePort: either<number | string>([5432, 'db'], [0, 70000, 'Bad Name']),
  cpu: either<[string, string]>([['100m', '1'], ['1', '1'], ['250m', '500m']], [['2', '1'], ['-1', '1']]),
  memoryMi: either<[number, number]>([[256, 512], [512, 512]], [[1024, 512]]), // cdk8s Size itself refuses negative sizes
  subPath: either<string | undefined>([undefined, 'pgdata', 'a/b'], ['../escape', '/abs', 'a/../../b']),
  templateClass: either<string | undefined>([undefined, '', 'fast-ssd', 'standard'], ['a_b', 'Fast SSD']),
  runAsUser: either([999, 1000, 65532], [-1, 2147483648]),
  livenessSuccess: either([1], [2, 3]),
  selectorValue: either(['fast', 'a.b_c', ''], ['has space', 'a/b']),
  nfs: fc.boolean(),
  secondTemplate: fc.constantFrom<'none' | 'noClass' | 'emptyClass'>('none', 'noClass', 'emptyClass'),
  poolClass: either<string | undefined>([undefined, 'nfs', 'nfs-static'], ['Bad Class']),
  binding: fc.constantFrom('claimRef', 'labelSelector'),
  headroom: fc.integer({ min: 0, max: 2 }),
  fsGroup: either<number | undefined>([undefined, 999, 0], [-1]),
  separate: fc.constantFrom<'none' | 'node' | 'zone'>('none', 'node', 'zone'),
  withInit: fc.boolean(),
  withSecretEnv: fc.boolean(),
  withConfigVolume: fc.boolean(),
});
type AppCase = typeof appArbitrary extends fc.Arbitrary<infer T> ? T : never;

function appProps(c: AppCase): { props: StatefulAppProps; bad: boolean } {
  const picks = [c.envName, c.probePort, c.cpu, c.memoryMi, c.subPath, c.runAsUser, c.livenessSuccess, c.fsGroup];
  const templates: VolumeClaimTemplate[] = [];
  // A pool's PVs copy the template's class, so the pool class is the template's; user selectors only without a pool
  // (a selector the pool's PVs do not carry is a real binding error, not an API-server one).
  const first: VolumeClaimTemplate = c.nfs
    ? {
      name: 'data', size: Size.gibibytes(1), storageClassName: c.poolClass.value,
      nfs: { server: 'nfs1', pathPattern: '/exports/data-{n}', headroom: c.headroom, binding: c.binding === 'claimRef' ? PoolBinding.claimRef() : PoolBinding.labelSelector() },
    }
    : { name: 'data', size: Size.gibibytes(1), storageClassName: c.templateClass.value, selector: { tier: c.selectorValue.value } };
  picks.push(...(c.nfs ? [c.poolClass] : [c.templateClass, c.selectorValue]));
  templates.push(first);
  // Next to a pool whose PVs are not pre-bound (labelSelector binding), a claim of class '' (or of no class, in a
  // cluster without a default class) can take the pool's PV: a real binding hazard that pvc-unbound reports.
  const unboundPool = c.nfs && c.binding === 'labelSelector';
  if ((c.secondTemplate === 'noClass' && !unboundPool) || (c.secondTemplate === 'emptyClass' && !c.nfs)) {
    templates.push({ name: 'wal', size: Size.mebibytes(512), storageClassName: c.secondTemplate === 'emptyClass' ? '' : undefined });
  }
  const [cpuRequest, cpuLimit] = c.cpu.value;
  const [memRequest, memLimit] = c.memoryMi.value;
  const props: StatefulAppProps = {
    name: c.name,
    replicas: c.replicas,
    securityContext: c.fsGroup.value === undefined ? undefined : { fsGroup: c.fsGroup.value },
    scheduling: c.separate === 'none' ? undefined : { separate: [{ topology: c.separate === 'node' ? Topology.HOSTNAME : Topology.ZONE }] },
    volumes: c.withConfigVolume ? [PodVolume.fromConfigMap('config', 'db-config')] : undefined,
    initContainers: c.withInit ? [{ name: 'init', image: 'busybox:1.36', command: ['true'], mounts: [{ template: 'data', path: '/data' }] }] : undefined,
    containers: [{
      name: 'db',
      image: 'db:1',
      ports: [{ name: 'db', number: 5432 }],
      env: {
        [c.envName.value]: 'x',
        ...(c.withSecretEnv ? { PASSWORD: EnvValue.fromSecretValue({ secret: 'db-credentials', key: 'password' }) } : {}),
      },
      resources: {
        cpu: { request: Cpu.millis(Math.round(parseCpu(cpuRequest) * 1000)), limit: Cpu.millis(Math.round(parseCpu(cpuLimit) * 1000)) },
        memory: { request: Size.mebibytes(memRequest), limit: Size.mebibytes(memLimit) },
      },
      readiness: Probe.tcpSocket(c.probePort.value),
      liveness: Probe.tcpSocket('db', { successThreshold: c.livenessSuccess.value }),
      mounts: [
        { template: 'data', path: '/data', subPath: c.subPath.value },
        ...templates.slice(1).map((t) => ({ template: t.name, path: `/${t.name}` })),
        ...(c.withConfigVolume ? [{ volume: 'config', path: '/etc/db', readOnly: true }] : []),
      ],
      security: ContainerSecurity.nonRoot({ user: c.runAsUser.value }),
    }],
    volumeClaimTemplates: templates,
  };
  return { props, bad: picks.some((p) => p.bad) };
}

function parseCpu(text: string): number {
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

const RUNS = 150;
const validatorFor = UPSTREAM_SKIP ? undefined : loadValidators();
if (UPSTREAM_SKIP) console.log(`${UPSTREAM_SKIP} (the property test still checks synth and lint)`);

/**
 * Lints clean (the synth-time lint: the engine over what synth writes, claims whose PVs are elsewhere excepted),
 * synthesizes, and passes the upstream definitions when present.
 */
function checkValid(chart: ReturnType<typeof newChart>): void {
  assert.deepEqual(synthLintErrors(chart), []);
  const objects = Testing.synth(chart);
  if (validatorFor) assert.deepEqual(objects.map((o) => upstreamErrors(validatorFor, o)).filter(Boolean), []);
}

describe('constructs refuse what the API server refuses (property)', () => {
  it(`StatefulApp: ${RUNS} random prop sets`, () => {
    let valid = 0;
    let invalid = 0;
    fc.assert(fc.property(appArbitrary, (c) => {
      const { props, bad } = appProps(c);
      const chart = newChart();
      if (bad) {
        invalid++;
        assert.throws(() => new StatefulApp(chart, 'app', props), (e: Error) => e.message.startsWith(`StatefulApp "${c.name}": `) || e.message.startsWith('NfsVolumePool "'));
        return;
      }
      valid++;
      new StatefulApp(chart, 'app', props);
      checkValid(chart);
    }), { numRuns: RUNS, seed: 10 });
    assert.ok(valid > 20 && invalid > 20, `both kinds exercised (valid ${valid}, invalid ${invalid})`);
  });

  it(`NfsVolumePool: ${RUNS} random prop sets`, () => {
    const poolArbitrary = fc.record({
      replicas: fc.integer({ min: 0, max: 4 }),
      storageClassName: either<string | undefined>([undefined, '', 'nfs', 'nfs.static'], ['Bad Class', 'a_b']),
      label: either(['x', 'a.b-c', ''], ['bad value', '-x']),
      namespace: either(['default', 'db'], ['Db', 'a_b']),
      headroom: fc.integer({ min: 0, max: 2 }),
      binding: fc.constantFrom('claimRef', 'labelSelector'),
      firstNumber: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(fc.property(poolArbitrary, (c) => {
      const chart = newChart({ namespace: 'default' });
      const bad = c.storageClassName.bad || c.label.bad || c.namespace.bad;
      const build = () => new NfsVolumePool(chart, 'pool', {
        server: 'nfs1', pathPattern: '/exports/v{nnn}', namePattern: 'pv{nnn}', headroom: c.headroom, firstNumber: c.firstNumber,
        binding: c.binding === 'claimRef' ? PoolBinding.claimRef() : PoolBinding.labelSelector(),
        labels: { tier: c.label.value },
        statefulSet: { name: 'db', namespace: c.namespace.value, replicas: c.replicas },
        template: { name: 'data', size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE], storageClassName: c.storageClassName.value },
      });
      if (bad) {
        assert.throws(build, (e: Error) => e.message.startsWith('NfsVolumePool "db/data": '));
        return;
      }
      build();
      checkValid(chart);
    }), { numRuns: RUNS, seed: 10 });
  });
});
