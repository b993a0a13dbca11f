/**
 * The harness itself: a pod runs with the environment, names, volumes, user and root filesystem the kubelet would
 * give it, and the StatefulSet controller's scaling and claim retention. A small Node server reports what it sees.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { expand, PodCluster, printedRunbook, serverTestSkipReason } from './pod-runner';

const SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const dns = require('node:dns');
const os = require('node:os');
const tryWrite = (file) => { try { fs.writeFileSync(file, 'x'); return true; } catch { return false; } };
const count = (() => { const f = '/data/count'; const n = fs.existsSync(f) ? Number(fs.readFileSync(f, 'utf8')) + 1 : 1; fs.writeFileSync(f, String(n)); return n; })();
http.createServer((req, res) => {
  if (req.url === '/ready') { res.end('ok'); return; }
  dns.lookup(process.env.PEER, (error, address) => {
    res.end(JSON.stringify({
      hostname: os.hostname(), env: process.env, uid: process.getuid(), gid: process.getgid(), groups: process.getgroups(),
      dataWritable: tryWrite('/data/probe'), rootWritable: tryWrite('/probe'), tmpWritable: tryWrite('/tmp/probe'),
      peer: error ? String(error) : address, count, cwd: process.cwd(), pid: process.pid,
    }));
  });
}).listen(8080, process.env.POD_IP);
process.on('SIGTERM', () => process.exit(0));
`;

function manifests(replicas: number, extra: Record<string, unknown> = {}): Record<string, any>[] {
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'scripts', namespace: 'apps' }, data: { 'server.js': SERVER, greeting: 'hello' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'apps' }, data: { token: Buffer.from('s3cret').toString('base64') } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-client', namespace: 'apps' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'apps' },
      spec: {
        serviceName: 'web', replicas, podManagementPolicy: 'Parallel',
        persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Retain' },
        selector: { matchLabels: { app: 'web' } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            securityContext: { fsGroup: 2000 },
            volumes: [{ name: 'scripts', configMap: { name: 'scripts', defaultMode: 0o755 } }],
            containers: [{
              name: 'web', image: 'example/web:1', command: ['node', '/scripts/server.js'], workingDir: '/data',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'scripts', key: 'greeting' } } },
                { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 'token' } } },
                { name: 'COMBINED', value: '$(POD_NAME)-$(GREETING)-$$(POD_NAME)-$(UNDEFINED)' },
                { name: 'PEER', value: 'web-1.web.apps.svc.cluster.local' },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
              securityContext: { runAsUser: 1000, runAsNonRoot: true, readOnlyRootFilesystem: true },
              volumeMounts: [{ name: 'scripts', mountPath: '/scripts', readOnly: true }, { name: 'data', mountPath: '/data' }],
              ...extra,
            }],
          },
        },
      },
    },
  ];
}

async function report(cluster: PodCluster, pod: string): Promise<Record<string, any>> {
  const info = cluster.pod(pod);
  const response = await fetch(`http://${info.address}:8080/`);
  return response.json() as Promise<Record<string, any>>;
}

const skip = serverTestSkipReason('node');

describe('pod-runner: a kubelet in miniature', { skip }, () => {
  let cluster: PodCluster;
  before(async () => {
    cluster = await PodCluster.start(manifests(2));
    await cluster.waitReady('web-0', 20_000);
    await cluster.waitReady('web-1', 20_000);
  });
  after(async () => {
    const dir = cluster?.workDir;
    await cluster?.close();
    if (dir !== undefined) assert.equal(fs.existsSync(dir), false, 'close() removes the work directory');
  });

  it('gives each pod its own address, hostname and FQDN that every pod resolves', async () => {
    const [zero, one] = [await report(cluster, 'web-0'), await report(cluster, 'web-1')];
    assert.equal(zero.hostname, 'web-0');
    assert.equal(one.hostname, 'web-1');
    assert.notEqual(cluster.pod('web-0').address, cluster.pod('web-1').address);
    assert.equal(zero.peer, cluster.pod('web-1').address);
    assert.equal(cluster.pod('web-0').fqdn, 'web-0.web.apps.svc.cluster.local');
  });

  it('resolves env as the kubelet: fieldRef, ConfigMap and Secret keys, $(VAR), $$, service links of ClusterIP Services only', async () => {
    const { env } = await report(cluster, 'web-0');
    assert.equal(env.POD_IP, cluster.pod('web-0').address);
    assert.equal(env.TOKEN, 's3cret');
    assert.equal(env.COMBINED, 'web-0-hello-$(POD_NAME)-$(UNDEFINED)');
    assert.equal(env.WEB_CLIENT_SERVICE_PORT, '80');
    assert.match(env.KUBERNETES_SERVICE_HOST, /^10\.96\./);
    assert.equal(env.WEB_SERVICE_HOST, undefined, 'a headless Service gets no links');
  });

  it('runs as the container user with the fsGroup, writable claim, read-only root filesystem', async () => {
    const zero = await report(cluster, 'web-0');
    assert.equal(zero.uid, 1000);
    assert.ok(zero.groups.includes(2000));
    assert.equal(zero.dataWritable, true);
    assert.equal(zero.rootWritable, false);
    assert.equal(zero.tmpWritable, false);
    assert.equal(zero.cwd, '/data');
  });

  it('execs in the container with its environment, and the server is PID 1 of its namespace', async () => {
    const result = await cluster.exec('web-1', ['sh', '-c', 'echo $POD_NAME $(id -u); cat /proc/1/cmdline | tr "\\0" " "']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^web-1 1000\nnode \/scripts\/server\.js/);
    assert.equal((await report(cluster, 'web-1')).pid, 1);
    assert.equal((await cluster.exec('web-1', ['sh', '-c', 'exit 3'])).code, 3);
  });

  it('keeps claims across a pod restart and deletes them on scale-down under whenScaled: Delete', async () => {
    assert.equal((await report(cluster, 'web-0')).count, 1);
    await cluster.stopPod('web-0');
    await cluster.startPod('web-0');
    await cluster.waitReady('web-0', 20_000);
    assert.equal((await report(cluster, 'web-0')).count, 2, 'the claim outlives the pod');
    const claim = path.join(cluster.workDir, 'claims', 'data-web-1');
    assert.ok(fs.existsSync(claim));
    await cluster.apply(manifests(1));
    assert.deepEqual(cluster.running.map((p) => p.name), ['web-0']);
    assert.equal(fs.existsSync(claim), false, 'whenScaled: Delete removes the claim of the removed pod');
    await cluster.apply(manifests(2));
    await cluster.waitReady('web-1', 20_000);
    assert.equal((await report(cluster, 'web-1')).count, 1, 'a new claim starts empty');
  });

  it('runs runbook steps: exec, apply, and refuses manual steps without a handler', async () => {
    await cluster.runRunbook([{ kind: 'exec', pod: 'web-0', command: ['sh', '-c', 'echo done > /data/step'] }, { kind: 'apply' }], manifests(1));
    assert.deepEqual(cluster.running.map((p) => p.name), ['web-0']);
    assert.equal((await cluster.exec('web-0', ['cat', '/data/step'])).stdout, 'done\n');
    await assert.rejects(cluster.runRunbook([{ kind: 'manual', text: 'do it by hand' }], manifests(1)), /manual.*do it by hand/);
  });
});

describe('pod-runner: refusals the kubelet makes', { skip }, () => {
  it('refuses runAsNonRoot without a user, as CreateContainerConfigError does', async () => {
    const broken = manifests(1, { securityContext: { runAsNonRoot: true } });
    const cluster = await PodCluster.start(broken, { start: false });
    try {
      await assert.rejects(cluster.startPod('web-0'), /runAsNonRoot and image will run as root/);
    } finally {
      await cluster.close();
    }
  });
});

describe('pod-runner: $(VAR) expansion', () => {
  it('replaces defined names, keeps undefined ones, turns $$ into $', () => {
    assert.equal(expand('$(A)/$(B)/$$(A)/$$$(A)', { A: 'x' }), 'x/$(B)/$(A)/$x');
  });
});

describe('pod-runner: the printed runbook', () => {
  it('reads the steps cdk8s-stateful plan prints for two revisions', () => {
    const annotated = (replicas: number) => manifests(replicas).map((m) =>
      (m.kind === 'StatefulSet' ? { ...m, metadata: { ...m.metadata, annotations: { 'cdk8s-stateful.io/cluster': 'etcd' } } } : m));
    const [member, ...rest] = printedRunbook(annotated(3), annotated(4));
    assert.equal(rest.length, 0);
    assert.equal(member[0].kind, 'exec');
    assert.equal(member[0].kind === 'exec' && member[0].pod, 'web-0');
    assert.match(member[0].kind === 'exec' ? member[0].command.join(' ') : '', /^etcdctl .*web-3/);
    assert.equal(member[1].kind, 'apply');
  });
});
