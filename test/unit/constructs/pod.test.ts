/**
 * StatefulApp's pod beyond containers and claim templates: pod volumes and their mounts, env from Secrets and
 * ConfigMaps, init containers and sidecars, lifecycle, pod security, scheduling, identity, DNS, a client Service;
 * and the refusals of what a 1.28 API server refuses, each naming the construct and the field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonPatch, Size, Testing } from 'cdk8s';
import { Cpu, DnsPolicy, EmptyDirMedium, FsGroupChangePolicy, ImagePullPolicy, TaintEffect, Topology } from 'cdk8s-plus-28';
import {
  ContainerSecurity, EnvFrom, EnvValue, Handler, NfsVolumePool, PodVolume, Probe, StatefulApp, StatefulAppProps,
  StatefulContainer,
} from '../../../lib/constructs';
import { AccessMode } from '../../../lib/constructs/types';
import { findObject, newChart } from './helpers';

const db: StatefulContainer = { name: 'db', image: 'db:1', ports: [{ name: 'db', number: 5432 }], mounts: [{ template: 'data', path: '/data' }] };
const base: StatefulAppProps = {
  replicas: 2,
  containers: [db],
  volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), storageClassName: 'standard' }],
};

function synth(props: Partial<StatefulAppProps>) {
  const chart = newChart();
  new StatefulApp(chart, 'pg', { ...base, ...props });
  const manifests = Testing.synth(chart);
  const sts = findObject(manifests, 'StatefulSet', 'pg');
  return { manifests, sts, pod: sts.spec.template.spec };
}

function error(props: Partial<StatefulAppProps>): string {
  try {
    new StatefulApp(newChart(), 'pg', { ...base, ...props });
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail('the StatefulApp was accepted');
}

const withContainer = (extra: Partial<StatefulContainer>): Partial<StatefulAppProps> => ({ containers: [{ ...db, ...extra }] });

describe('StatefulApp pod volumes and mounts', () => {
  it('writes ConfigMap, Secret, emptyDir, downwardAPI and projected volumes, mounted with subPath and readOnly', () => {
    const { pod } = synth({
      volumes: [
        PodVolume.fromConfigMap('config', 'pg-config', { defaultMode: 0o440, items: { 'pg.conf': { path: 'postgresql.conf' } } }),
        PodVolume.fromSecret('tls', { name: 'pg-tls' }, { optional: true }),
        PodVolume.fromEmptyDir('run', { medium: EmptyDirMedium.MEMORY, sizeLimit: Size.mebibytes(64) }),
        PodVolume.fromDownwardApi('podinfo', [{ path: 'labels', fieldPath: 'metadata.labels' }]),
        PodVolume.projected('all', [{ secret: 'pg-tls' }, { configMap: 'pg-config' }, { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }]),
      ],
      containers: [{
        ...db,
        mounts: [
          { template: 'data', path: '/data' },
          { volume: 'config', path: '/etc/pg/postgresql.conf', subPath: 'postgresql.conf', readOnly: true },
          { volume: 'tls', path: '/tls', readOnly: true },
          { volume: 'run', path: '/run' },
          { volume: 'podinfo', path: '/podinfo' },
          { volume: 'all', path: '/all' },
        ],
      }],
    });
    assert.deepEqual(pod.volumes, [
      { name: 'config', configMap: { name: 'pg-config', defaultMode: 0o440, items: [{ key: 'pg.conf', path: 'postgresql.conf' }] } },
      { name: 'tls', secret: { secretName: 'pg-tls', optional: true } },
      { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
      { name: 'all', projected: { sources: [{ secret: { name: 'pg-tls' } }, { configMap: { name: 'pg-config' } }, { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }] } },
    ]);
    assert.deepEqual(pod.containers[0].volumeMounts[1], { name: 'config', mountPath: '/etc/pg/postgresql.conf', subPath: 'postgresql.conf', readOnly: true });
  });

  it('refuses a mount of an unknown volume, a volume named like a claim template, and a subPath that escapes', () => {
    assert.equal(error(withContainer({ mounts: [{ template: 'data', path: '/data' }, { volume: 'cfg', path: '/cfg' }] })),
      'StatefulApp "pg": container "db" mounts unknown volume "cfg" (volumes: none); add it to volumes or fix the name');
    assert.match(error({ volumes: [PodVolume.fromEmptyDir('data')] }), /^StatefulApp "pg": volume name "data" is used twice/);
    assert.equal(error(withContainer({ mounts: [{ template: 'data', path: '/data', subPath: '../escape' }] })),
      'StatefulApp "pg": container "db" mount "data" subPath: Invalid value: "../escape": must not contain \'..\'');
    assert.equal(error(withContainer({ mounts: [{ template: 'data', path: '/data', subPath: '/abs' }] })),
      'StatefulApp "pg": container "db" mount "data" subPath: Invalid value: "/abs": must be a relative path');
    assert.match(error({ volumes: [PodVolume.fromConfigMap('c', 'x', { defaultMode: 0o1777 })] }), /volume "c" mode: Invalid value: "01777": must be a number between 0 and 0777/);
    assert.match(error({ volumes: [PodVolume.fromDownwardApi('d', [{ path: 'n', fieldPath: 'spec.nodeName' }])] }), /volume "d" fieldPath: Unsupported value: "spec.nodeName"/);
  });
});

describe('StatefulApp env, lifecycle, resources, security', () => {
  it('reads a password from a Secret key, a setting from a ConfigMap key, and whole objects with envFrom', () => {
    const { pod } = synth(withContainer({
      env: {
        PASSWORD: EnvValue.fromSecretValue({ secret: 'pg-credentials', key: 'password' }),
        DB: EnvValue.fromConfigMap({ name: 'pg-config' }, 'db', { optional: true }),
      },
      envFrom: [EnvFrom.fromSecret('extra'), EnvFrom.fromConfigMap('settings', 'PG_')],
    }));
    assert.deepEqual(pod.containers[0].env, [
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'pg-credentials', key: 'password' } } },
      { name: 'DB', valueFrom: { configMapKeyRef: { name: 'pg-config', key: 'db', optional: true } } },
    ]);
    assert.deepEqual(pod.containers[0].envFrom, [{ secretRef: { name: 'extra' } }, { prefix: 'PG_', configMapRef: { name: 'settings' } }]);
  });

  it('refuses env var names the API server refuses: "", "A B", "X=Y", "1ABC"', () => {
    for (const name of ['A B', 'X=Y', '1ABC']) {
      assert.match(error(withContainer({ env: { [name]: 'v' } })),
        new RegExp(`^StatefulApp "pg": container "db" env name: Invalid value: "${name}": a valid environment variable name must consist of alphabetic characters`));
    }
    assert.equal(error(withContainer({ env: { '': 'v' } })), 'StatefulApp "pg": container "db" env name: Required value');
    assert.match(error(withContainer({ envFrom: [EnvFrom.fromConfigMap('c', '9X')] })), /envFrom prefix: Invalid value: "9X"/);
  });

  it('writes preStop, imagePullPolicy, ephemeral storage and extended resources', () => {
    const { pod } = synth(withContainer({
      lifecycle: { preStop: Handler.fromCommand(['pg_ctl', 'stop', '-m', 'fast']) },
      imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
      resources: { ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(2) }, extended: { 'example.com/dongle': 1 } },
    }));
    const [c] = pod.containers;
    assert.deepEqual(c.lifecycle, { preStop: { exec: { command: ['pg_ctl', 'stop', '-m', 'fast'] } } });
    assert.equal(c.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(c.resources, {
      requests: { 'ephemeral-storage': '1Gi', 'example.com/dongle': '1' },
      limits: { 'ephemeral-storage': '2Gi', 'example.com/dongle': '1' },
    });
  });

  it('refuses a request above its limit and negative quantities, in the API server\'s words', () => {
    assert.equal(error(withContainer({ resources: { cpu: { request: Cpu.units(2), limit: Cpu.units(1) } } })),
      'StatefulApp "pg": container "db" cpu request: Invalid value: "2": must be less than or equal to cpu limit of 1');
    assert.match(error(withContainer({ resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } })),
      /container "db" memory request: Invalid value: "2147483648": must be less than or equal to memory limit of 1073741824/);
    assert.equal(error(withContainer({ resources: { cpu: { request: Cpu.millis(-5) } } })),
      'StatefulApp "pg": container "db" cpu request: Invalid value: "-5m": must be greater than or equal to 0');
  });

  it('refuses probe ports 0, 70000, "Bad Name", an unknown port name, and a liveness successThreshold other than 1', () => {
    assert.match(error(withContainer({ readiness: Probe.tcpSocket(0) })), /readiness probe port: Invalid value: 0: must be between 1 and 65535, inclusive$/);
    assert.match(error(withContainer({ liveness: Probe.httpGet('/', 70000) })), /liveness probe port: Invalid value: 70000: must be between 1 and 65535/);
    assert.match(error(withContainer({ startup: Probe.tcpSocket('Bad Name') })), /startup probe port: Invalid value: "Bad Name": must contain only alpha-numeric characters/);
    assert.match(error(withContainer({ readiness: Probe.tcpSocket('web') })), /readiness probe port "web" names no port of the container \(ports: db\)/);
    assert.equal(error(withContainer({ liveness: Probe.tcpSocket('db', { successThreshold: 2 }) })),
      'StatefulApp "pg": container "db" liveness probe successThreshold: Invalid value: 2: must be 1');
    synth(withContainer({ readiness: Probe.tcpSocket('db', { successThreshold: 2 }) }));
  });

  it('offers a custom security context and refuses runAsUser -1', () => {
    const { pod } = synth(withContainer({ security: ContainerSecurity.custom({ user: 70, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }) }));
    assert.deepEqual(pod.containers[0].securityContext.capabilities, { add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
    assert.equal(error(withContainer({ security: ContainerSecurity.nonRoot({ user: -1 }) })),
      'StatefulApp "pg": container "db" security runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive');
  });
});

describe('StatefulApp init containers, sidecars and the pod', () => {
  it('writes init containers then native sidecars (restartPolicy Always)', () => {
    const { pod } = synth({
      initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['true'], mounts: [{ template: 'data', path: '/data' }] }],
      sidecars: [{ name: 'exporter', image: 'exporter:1', ports: [{ name: 'metrics', number: 9187 }], readiness: Probe.tcpSocket('metrics') }],
    });
    assert.deepEqual(pod.initContainers.map((c: any) => [c.name, c.restartPolicy]), [['init', undefined], ['exporter', 'Always']]);
    assert.equal(pod.initContainers[0].securityContext.runAsNonRoot, true);
  });

  it('refuses probes and lifecycle on an init container, and a name used twice in the pod', () => {
    assert.match(error({ initContainers: [{ name: 'init', image: 'x:1', readiness: Probe.exec(['true']) }] }),
      /^StatefulApp "pg": init container "init": readiness probe: Forbidden: may not be set for init containers/);
    assert.match(error({ initContainers: [{ name: 'init', image: 'x:1', lifecycle: { preStop: Handler.fromCommand(['x']) } }] }), /lifecycle: Forbidden/);
    assert.match(error({ initContainers: [{ name: 'db', image: 'x:1' }] }), /container name "db" is used twice in the pod/);
  });

  it('writes the pod security context, scheduling, identity, DNS, annotations and revisionHistoryLimit', () => {
    const { sts, pod } = synth({
      securityContext: { fsGroup: 999, fsGroupChangePolicy: FsGroupChangePolicy.ON_ROOT_MISMATCH, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] },
      scheduling: {
        separate: [{ topology: Topology.HOSTNAME }, { topology: Topology.ZONE, weight: 50 }],
        nodeSelector: { disk: 'ssd' },
        tolerations: [{ key: 'dedicated', value: 'db', effect: TaintEffect.NO_SCHEDULE }],
        topologySpread: [{ maxSkew: 1 }],
        priorityClassName: 'databases',
      },
      serviceAccount: 'pg',
      automountServiceAccountToken: false,
      imagePullSecrets: ['registry'],
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['backup.local'] }],
      dns: { policy: DnsPolicy.NONE, nameservers: ['10.0.0.10'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] },
      revisionHistoryLimit: 3,
    });
    assert.deepEqual(pod.securityContext, { fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] });
    assert.deepEqual(pod.affinity.podAntiAffinity, {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'pg' } }, topologyKey: 'kubernetes.io/hostname' }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'pg' } }, topologyKey: 'topology.kubernetes.io/zone' } }],
    });
    assert.deepEqual(pod.topologySpreadConstraints, [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'pg' } } }]);
    assert.deepEqual(pod.nodeSelector, { disk: 'ssd' });
    assert.deepEqual(pod.tolerations, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    assert.equal(pod.priorityClassName, 'databases');
    assert.equal(pod.serviceAccountName, 'pg');
    assert.equal(pod.automountServiceAccountToken, false);
    assert.deepEqual(pod.imagePullSecrets, [{ name: 'registry' }]);
    assert.deepEqual(sts.spec.template.metadata.annotations, { 'prometheus.io/scrape': 'true' });
    assert.deepEqual(pod.hostAliases, [{ ip: '10.0.0.5', hostnames: ['backup.local'] }]);
    assert.equal(pod.dnsPolicy, 'None');
    assert.deepEqual(pod.dnsConfig, { nameservers: ['10.0.0.10'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }] });
    assert.equal(sts.spec.revisionHistoryLimit, 3);
  });

  it('refuses what the API server refuses in the pod: fsGroup -1, a bad sysctl, a toleration value with Exists, weight 0, DNS None without nameservers', () => {
    assert.match(error({ securityContext: { fsGroup: -1 } }), /securityContext fsGroup: Invalid value: -1: must be between 0 and 2147483647/);
    assert.match(error({ securityContext: { sysctls: [{ name: 'Net Core', value: '1' }] } }), /securityContext sysctls name: Invalid value: "Net Core"/);
    assert.match(error({ scheduling: { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] } }), /value must be empty when `operator` is 'Exists'/);
    assert.match(error({ scheduling: { separate: [{ weight: 0 }] } }), /scheduling separate weight: Invalid value: 0: must be in the range 1-100/);
    assert.match(error({ dns: { policy: DnsPolicy.NONE } }), /must provide at least one DNS nameserver when `dnsPolicy` is None/);
    assert.match(error({ podLabels: { app: 'has space' } }), /^StatefulApp "pg": podLabels\["app"\]: Invalid value: "has space": a valid label must be an empty string/);
  });

  it('labels and annotates the claim templates, and refuses a claim class the API server refuses', () => {
    const { sts } = synth({ volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), labels: { backup: 'daily' }, annotations: { 'example.com/tier': 'gold' } }] });
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].metadata, { name: 'data', labels: { backup: 'daily' }, annotations: { 'example.com/tier': 'gold' } });
    for (const cls of ['a_b', 'Fast SSD']) {
      assert.match(error({ volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), storageClassName: cls }] }),
        new RegExp(`^StatefulApp "pg": claim template "data" storageClassName: Invalid value: "${cls}": a lowercase RFC 1123 subdomain`));
    }
    assert.match(error({ volumeClaimTemplates: [{ name: 'data', size: Size.gibibytes(1), selector: { tier: 'a b' } }] }), /claim template "data" selector\["tier"\]: Invalid value: "a b"/);
  });

  it('adds a ClusterIP client Service next to the headless one', () => {
    const { manifests } = synth({ clientService: { annotations: { 'example.com/lb': 'internal' } } });
    const client = findObject(manifests, 'Service', 'pg-client');
    assert.deepEqual(client.spec, { type: 'ClusterIP', selector: { app: 'pg' }, ports: [{ name: 'db', port: 5432, targetPort: 'db', protocol: 'TCP' }] });
    assert.deepEqual(client.metadata.annotations, { 'example.com/lb': 'internal' });
    assert.equal(findObject(manifests, 'Service', 'pg').spec.clusterIP, 'None');
    assert.match(error({ clientService: { name: 'pg' } }), /clientService name "pg" is the headless Service's name/);
    assert.match(error({ clientService: { ports: [{ name: 'web' }] } }), /clientService port "web" names no container port \(ports: db\)/);
  });
});

describe('the escape hatch of docs/constructs.md', () => {
  it('patches a field no prop offers; the patched output synthesizes', () => {
    const chart = newChart();
    const pg = new StatefulApp(chart, 'pg', base);
    pg.statefulSet.addJsonPatch(
      JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
      JsonPatch.add('/spec/template/spec/containers/0/stdin', false),
    );
    const sts = findObject(Testing.synth(chart), 'StatefulSet', 'pg');
    assert.equal(sts.spec.template.spec.enableServiceLinks, false);
    assert.equal(sts.spec.template.spec.containers[0].stdin, false);
  });
});

describe('NfsVolumePool refuses a class the API server refuses', () => {
  it('names the pool', () => {
    assert.throws(() => new NfsVolumePool(newChart(), 'pool', {
      server: 'nfs1', pathPattern: '/v{n}',
      statefulSet: { name: 'pg', namespace: 'default', replicas: 1 },
      template: { name: 'data', size: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_ONCE], storageClassName: 'Bad Class' },
    }), { message: /^NfsVolumePool "pg\/data": template.storageClassName: Invalid value: "Bad Class": a lowercase RFC 1123 subdomain/ });
  });
});
