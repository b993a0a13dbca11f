/**
 * A kubelet in miniature for the real-server tests: runs the pods of synthesized StatefulSets as local processes,
 * so that a blueprint is proven by the real server forming a cluster from exactly what the blueprint generates.
 *
 * Per container, one process tree in its own mount, UTS and PID namespace (`unshare`, root only):
 * - a private root: /usr, /dev, /sys bound from the host (read-only /usr), a copy of /etc, empty /var, /tmp, /run,
 *   /root; read-only as a whole when the container asks for `readOnlyRootFilesystem`;
 * - /etc/hosts mapping every pod FQDN (and `<pod>.<svc>[.<ns>[.svc]]`, and the headless Service names to every
 *   pod) to that pod's own loopback address 127.N.M.(10+ordinal): the pod IP (`status.podIP`);
 * - each volumeMount backed by a directory: claims per `<template>-<sts>-<ordinal>`, kept across restarts and
 *   deleted on scale-down only under `whenScaled: Delete`; ConfigMap, Secret, downwardAPI and projected items
 *   written as files with their modes; emptyDir per pod;
 * - hostname = pod name; env resolved as the kubelet does (fieldRef, configMapKeyRef, secretKeyRef, envFrom,
 *   `$(VAR)` expansion, `$$` escaping, service links for ClusterIP Services when enableServiceLinks is not false);
 * - the container's command + args exactly (the image entrypoint is unknown here: a container without `command`
 *   needs `entrypoints` in the options); runAsUser/runAsGroup and fsGroup honoured; `runAsNonRoot` with no
 *   user refuses to start as the kubelet does.
 * All pods share the host network namespace: two pods cannot listen on the same 0.0.0.0 or 127.0.0.1 port, so
 * servers must bind to the pod IP. The first process is PID 1 of its namespace, as in a container: a shell that
 * does not `exec` its server ignores SIGTERM, and every process of the container dies with it.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { RunbookStep } from '../../../lib/k8s/systems/runbook';

type Obj = Record<string, any>;

export interface PodClusterOptions {
  /** StatefulSets to run (by name). @default every StatefulSet in the manifests */
  readonly statefulSets?: readonly string[];
  /** Entry points of images whose containers set no `command` (e.g. `{ 'redis:7': ['redis-server'] }`). */
  readonly entrypoints?: Readonly<Record<string, readonly string[]>>;
  /** The user an image runs as when the container sets no runAsUser. @default 0 (root) for every image */
  readonly imageUsers?: Readonly<Record<string, number>>;
  /** Cap on every grace period (seconds), so that tests do not wait 120 s for a stuck process. @default 30 */
  readonly maxGraceSeconds?: number;
  /** Directory for pod roots, volumes and logs. @default a new directory under the OS temp dir */
  readonly workDir?: string;
  /** Start the pods at once (as the StatefulSet controller would). @default true */
  readonly start?: boolean;
}

export interface ExecResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PodInfo {
  readonly statefulSet: string;
  readonly ordinal: number;
  readonly name: string;
  readonly namespace: string;
  readonly fqdn: string;
  /** The pod IP: a loopback address of its own. */
  readonly address: string;
}

interface RunningContainer {
  readonly name: string;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly log: string;
}

interface Pod extends PodInfo {
  running: RunningContainer[];
  /** Directory of this incarnation (emptyDirs, rendered files); a new one per start. */
  runDir?: string;
}

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const CLUSTER_DOMAIN = 'cluster.local';
let clusterCount = 0;

/**
 * Why the real-server tests cannot run here, or undefined when they can. Under REQUIRE_SERVERS=1 (CI, which
 * installs the packages) a missing piece is an error rather than a skip, so that a proof never silently vanishes.
 */
export function serverTestSkipReason(...binaries: string[]): string | undefined {
  const reason = missingPiece(binaries);
  if (reason !== undefined && process.env.REQUIRE_SERVERS === '1') throw new Error(`REQUIRE_SERVERS=1 but ${reason}`);
  return reason;
}

function missingPiece(binaries: readonly string[]): string | undefined {
  if (process.platform !== 'linux') return 'the real-server tests need Linux namespaces';
  if (process.getuid?.() !== 0) return 'the real-server tests need root (unshare of mount, UTS and PID namespaces; CI runs as root)';
  for (const tool of ['unshare', 'nsenter', 'chroot', 'setpriv', ...binaries]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      return `${tool} is not installed (CI installs it: see .ci/run)`;
    }
  }
  return undefined;
}

export class PodCluster {
  /** Plans the pods of the StatefulSets in `manifests` (objects as synthesized) and starts them. */
  static async start(manifests: readonly Obj[], options: PodClusterOptions = {}): Promise<PodCluster> {
    const cluster = new PodCluster(manifests, options);
    if (options.start !== false) {
      for (const set of cluster.statefulSetNames) await cluster.reconcile(set);
    }
    return cluster;
  }

  readonly workDir: string;
  private manifests: readonly Obj[];
  private readonly pods = new Map<string, Pod>();
  private readonly subnet: string;
  private readonly statefulSetNames: readonly string[];
  private closed = false;

  private constructor(manifests: readonly Obj[], private readonly options: PodClusterOptions) {
    this.manifests = manifests;
    this.workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pod-cluster-'));
    clusterCount += 1;
    this.subnet = `127.${1 + (process.pid % 200)}.${clusterCount % 250}`;
    const sets = manifests.filter((m) => m.kind === 'StatefulSet').map((m) => m.metadata.name as string);
    this.statefulSetNames = options.statefulSets ?? sets;
    for (const name of this.statefulSetNames) {
      if (!sets.includes(name)) throw new Error(`no StatefulSet ${name} in the manifests (there are: ${sets.join(', ')})`);
    }
    this.writeHosts();
  }

  /** Every pod the current revision asks for, running or not, in StatefulSet then ordinal order. */
  get planned(): PodInfo[] {
    return this.statefulSetNames.flatMap((set) => this.planOf(set));
  }

  /** The pods that run now. */
  get running(): PodInfo[] {
    return [...this.pods.values()].filter((p) => p.running.length > 0);
  }

  /** A pod by name, or by ordinal when there is one StatefulSet. */
  pod(ref: string | number): PodInfo {
    const name = typeof ref === 'number' ? this.nameOf(ref) : ref;
    const planned = this.planned.find((p) => p.name === name) ?? this.pods.get(name);
    if (planned === undefined) throw new Error(`no pod ${name}`);
    return planned;
  }

  /** Starts a pod: init containers in order (each must exit 0), then sidecars and containers. */
  async startPod(ref: string | number): Promise<void> {
    const info = this.pod(ref);
    const existing = this.pods.get(info.name);
    if (existing !== undefined && existing.running.length > 0) throw new Error(`${info.name} is already running`);
    const pod: Pod = { ...info, running: [] };
    this.pods.set(info.name, pod);
    const spec = this.templateOf(info.statefulSet).spec as Obj;
    pod.runDir = fs.mkdtempSync(path.join(this.workDir, `${info.name}-run-`));
    const volumes = this.prepareVolumes(pod, spec);
    for (const container of (spec.initContainers ?? []) as Obj[]) {
      const run = this.launch(pod, spec, container, volumes);
      if (container.restartPolicy === 'Always') {
        pod.running.push(run);
        continue;
      }
      const code = await run.exited;
      if (code !== 0) {
        await this.stopPod(info.name).catch(() => undefined);
        throw new Error(`init container ${container.name} of ${info.name} exited ${code}:\n${tail(readText(run.log))}`);
      }
    }
    for (const container of spec.containers as Obj[]) pod.running.push(this.launch(pod, spec, container, volumes));
  }

  /**
   * Deletes a pod as the kubelet does: preStop hooks, SIGTERM to each container's first process, SIGKILL after
   * the grace period (capped by `maxGraceSeconds`).
   */
  async stopPod(ref: string | number): Promise<void> {
    const info = this.pod(ref);
    const pod = this.pods.get(info.name);
    if (pod === undefined || pod.running.length === 0) return;
    const spec = this.templateOf(info.statefulSet).spec as Obj;
    const grace = Math.min(spec.terminationGracePeriodSeconds ?? 30, this.options.maxGraceSeconds ?? 30);
    const deadline = Date.now() + grace * 1000;
    await Promise.all(pod.running.map(async (run) => {
      const container = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((c: Obj) => c.name === run.name);
      const preStop = container?.lifecycle?.preStop?.exec?.command as string[] | undefined;
      if (preStop !== undefined) {
        await this.exec(info.name, preStop, { container: run.name, timeoutMs: Math.max(0, deadline - Date.now()) }).catch(() => undefined);
      }
      signalInit(run.process, 'SIGTERM');
      const done = await Promise.race([run.exited.then(() => true), sleep(Math.max(0, deadline - Date.now())).then(() => false)]);
      if (!done) {
        signalInit(run.process, 'SIGKILL');
        await run.exited;
      }
    }));
    pod.running = [];
    if (pod.runDir !== undefined) removeTree(pod.runDir);
  }

  /**
   * Runs `command` in a running container of the pod, as `kubectl exec` does: same namespaces, root, user and
   * environment. Resolves with the exit code and output (never rejects on a non-zero exit).
   */
  async exec(ref: string | number, command: readonly string[], options: { container?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    const info = this.pod(ref);
    const pod = this.pods.get(info.name);
    const run = options.container === undefined ? pod?.running.find((r) => !this.isInit(info, r.name)) ?? pod?.running[0]
      : pod?.running.find((r) => r.name === options.container);
    if (run === undefined) return { code: 1, stdout: '', stderr: `error: pod ${info.name} has no running container ${options.container ?? ''}`.trim() };
    // A container just started may not have forked its first process yet: wait a moment, as kubectl exec does
    // for a container that is being created.
    let initPid = childOf(run.process.pid!);
    for (let tries = 0; initPid === undefined && tries < 50 && run.process.exitCode === null; tries++) {
      await sleep(100);
      initPid = childOf(run.process.pid!);
    }
    if (initPid === undefined) return { code: 1, stdout: '', stderr: `error: container ${run.name} of ${info.name} is not running` };
    const spec = this.templateOf(info.statefulSet).spec as Obj;
    const container = [...spec.containers, ...(spec.initContainers ?? [])].find((c: Obj) => c.name === run.name) as Obj;
    const env = this.environment(info, spec, container);
    const args = ['--target', String(initPid), '--mount', '--uts', '--pid', '--root', '--wd',
      ...this.identity(spec, container), '/usr/bin/env', '-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command];
    return runToEnd('nsenter', args, options.timeoutMs ?? 60_000);
  }

  /** Polls the pod's readiness probe (as the kubelet runs it) until it succeeds. */
  async waitReady(ref: string | number, timeoutMs = 60_000): Promise<void> {
    const info = this.pod(ref);
    const deadline = Date.now() + timeoutMs;
    let last = 'not started';
    while (Date.now() < deadline) {
      const pod = this.pods.get(info.name);
      if (pod === undefined || pod.running.length === 0) throw new Error(`${info.name} is not running`);
      const verdict = await this.probe(info.name, 'readinessProbe');
      if (verdict === undefined) return;
      last = verdict;
      for (const run of pod.running) {
        if (run.process.exitCode !== null || run.process.signalCode !== null) {
          throw new Error(`container ${run.name} of ${info.name} exited while waiting for Ready:\n${tail(readText(run.log))}`);
        }
      }
      await sleep(500);
    }
    throw new Error(`${info.name} not Ready after ${timeoutMs} ms (readiness probe: ${last}); log:\n${this.logs(info.name)}`);
  }

  /** Runs one probe of the first container that has it; undefined when it succeeds (or there is none). */
  async probe(ref: string | number, kind: 'readinessProbe' | 'livenessProbe' | 'startupProbe'): Promise<string | undefined> {
    const info = this.pod(ref);
    const spec = this.templateOf(info.statefulSet).spec as Obj;
    const container = (spec.containers as Obj[]).find((c) => c[kind] !== undefined);
    if (container === undefined) return undefined;
    const probe = container[kind] as Obj;
    const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
    if (probe.exec !== undefined) {
      const result = await this.exec(info.name, probe.exec.command, { container: container.name, timeoutMs });
      return result.code === 0 ? undefined : `exec exited ${result.code}: ${(result.stdout + result.stderr).trim().slice(0, 300)}`;
    }
    const port = (p: number | string) => (typeof p === 'number' ? p : (container.ports ?? []).find((cp: Obj) => cp.name === p)?.containerPort);
    if (probe.httpGet !== undefined) {
      const target = port(probe.httpGet.port);
      return httpProbe(probe.httpGet.scheme === 'HTTPS', probe.httpGet.host ?? info.address, target, probe.httpGet.path ?? '/', timeoutMs);
    }
    if (probe.tcpSocket !== undefined) return tcpProbe(probe.tcpSocket.host ?? info.address, port(probe.tcpSocket.port), timeoutMs);
    return `probe kind not supported by the harness: ${Object.keys(probe).join(', ')}`;
  }

  /**
   * Applies a new revision as the StatefulSet controller would: ConfigMaps and Secrets are replaced (new pods and
   * later reads see them), pods beyond the new replicas are deleted highest ordinal first (their claims deleted
   * under `whenScaled: Delete`), missing pods are created (OrderedReady: one at a time, each Ready first), and a
   * changed pod template rolls the pods from the highest ordinal down (RollingUpdate).
   */
  async apply(manifests: readonly Obj[]): Promise<void> {
    const before = new Map(this.statefulSetNames.map((name) => [name, JSON.stringify(this.templateOf(name))]));
    this.manifests = manifests;
    this.writeHosts();
    for (const name of this.statefulSetNames) {
      const wanted = new Set(this.planOf(name).map((p) => p.name));
      const gone = [...this.pods.values()].filter((p) => p.statefulSet === name && !wanted.has(p.name) && p.running.length > 0)
        .sort((a, b) => b.ordinal - a.ordinal);
      for (const pod of gone) {
        await this.stopPod(pod.name);
        this.pods.delete(pod.name);
        if (this.claimRetention(name).whenScaled === 'Delete') this.deleteClaims(pod);
      }
      await this.reconcile(name);
      const sts = this.statefulSet(name);
      if (before.get(name) !== JSON.stringify(this.templateOf(name)) && sts.spec.updateStrategy?.type !== 'OnDelete') {
        for (const pod of this.planOf(name).reverse()) {
          await this.stopPod(pod.name);
          await this.startPod(pod.name);
          await this.waitReady(pod.name);
        }
      }
    }
  }

  /**
   * Runs runbook steps in order: exec steps with `exec` (a non-zero exit fails, with the output), apply steps by
   * applying `next`. A manual step fails unless `manual` handles it.
   */
  async runRunbook(steps: readonly RunbookStep[], next: readonly Obj[], manual?: (text: string) => Promise<void>): Promise<void> {
    for (const [i, step] of steps.entries()) {
      if (step.kind === 'apply') {
        await this.apply(next);
      } else if (step.kind === 'exec') {
        const result = await this.exec(step.pod, step.command, { container: step.container, timeoutMs: 120_000 });
        if (result.code !== 0) {
          throw new Error(`runbook step ${i + 1} (${step.command.join(' ')} in ${step.pod}) exited ${result.code}:\n${result.stdout}${result.stderr}`);
        }
      } else if (manual !== undefined) {
        await manual(step.text);
      } else {
        throw new Error(`runbook step ${i + 1} is manual and the test gave no handler: ${step.text}`);
      }
    }
  }

  /** The output of every container of the pod, last lines first trimmed. */
  logs(ref: string | number): string {
    const pod = this.pods.get(this.pod(ref).name);
    return (pod?.running ?? []).map((r) => `--- ${r.name}\n${tail(readText(r.log))}`).join('\n');
  }

  /** Stops every pod and removes the work directory. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.pods.values()].map((p) => this.stopPod(p.name).catch(() => undefined)));
    if (this.options.workDir === undefined) removeTree(this.workDir);
  }

  // ---- planning

  private statefulSet(name: string): Obj {
    const sts = this.manifests.find((m) => m.kind === 'StatefulSet' && m.metadata?.name === name);
    if (sts === undefined) throw new Error(`the revision has no StatefulSet ${name}`);
    return sts;
  }

  private templateOf(name: string): Obj {
    return this.statefulSet(name).spec.template;
  }

  private planOf(name: string): PodInfo[] {
    const sts = this.statefulSet(name);
    const namespace = sts.metadata.namespace ?? 'default';
    const start = sts.spec.ordinals?.start ?? 0;
    const replicas = sts.spec.replicas ?? 1;
    const setIndex = this.statefulSetNames.indexOf(name);
    return Array.from({ length: replicas }, (_, i) => {
      const ordinal = start + i;
      const podName = `${name}-${ordinal}`;
      return {
        statefulSet: name, ordinal, name: podName, namespace,
        fqdn: `${podName}.${sts.spec.serviceName}.${namespace}.svc.${CLUSTER_DOMAIN}`,
        address: `${this.subnet}.${10 + setIndex * 40 + i}`,
      };
    });
  }

  private nameOf(ordinal: number): string {
    if (this.statefulSetNames.length !== 1) throw new Error('several StatefulSets: name the pod');
    return `${this.statefulSetNames[0]}-${ordinal}`;
  }

  private isInit(info: PodInfo, container: string): boolean {
    return ((this.templateOf(info.statefulSet).spec.initContainers ?? []) as Obj[]).some((c) => c.name === container);
  }

  private claimRetention(name: string): { whenScaled?: string; whenDeleted?: string } {
    return this.statefulSet(name).spec.persistentVolumeClaimRetentionPolicy ?? {};
  }

  /** Creates the pods that should run and do not, in ordinal order; OrderedReady waits for each to be Ready. */
  private async reconcile(name: string): Promise<void> {
    const ordered = (this.statefulSet(name).spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    for (const pod of this.planOf(name)) {
      if ((this.pods.get(pod.name)?.running.length ?? 0) > 0) continue;
      await this.startPod(pod.name);
      if (ordered) await this.waitReady(pod.name);
    }
  }

  private writeHosts(): void {
    const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
    for (const name of this.statefulSetNames) {
      const sts = this.statefulSet(name);
      for (const pod of this.planOf(name)) {
        const svc = sts.spec.serviceName;
        lines.push(`${pod.address}\t${pod.fqdn} ${pod.name}.${svc}.${pod.namespace}.svc ${pod.name}.${svc}.${pod.namespace} ${pod.name}.${svc}`);
      }
      // The headless Service's own name resolves to every pod (published before Ready: the tests start them all).
      for (const pod of this.planOf(name)) {
        const svc = sts.spec.serviceName;
        lines.push(`${pod.address}\t${svc}.${pod.namespace}.svc.${CLUSTER_DOMAIN} ${svc}.${pod.namespace}.svc ${svc}.${pod.namespace} ${svc}`);
      }
    }
    fs.writeFileSync(path.join(this.workDir, 'hosts'), lines.join('\n') + '\n');
  }

  // ---- environment, as the kubelet builds it

  private environment(pod: PodInfo, spec: Obj, container: Obj): Record<string, string> {
    const env: Record<string, string> = { PATH, HOSTNAME: pod.name, HOME: '/root' };
    if (spec.enableServiceLinks !== false) Object.assign(env, this.serviceLinks(pod.namespace));
    for (const source of (container.envFrom ?? []) as Obj[]) {
      const data = source.configMapRef !== undefined ? this.configMapData(source.configMapRef.name, pod.namespace, source.configMapRef.optional)
        : this.secretData(source.secretRef.name, pod.namespace, source.secretRef.optional);
      for (const [k, v] of Object.entries(data)) env[(source.prefix ?? '') + k] = v;
    }
    for (const item of (container.env ?? []) as Obj[]) {
      if (item.valueFrom === undefined) {
        env[item.name] = expand(item.value ?? '', env);
        continue;
      }
      const value = this.valueFrom(pod, container, item.valueFrom);
      if (value !== undefined) env[item.name] = value;
    }
    return env;
  }

  private valueFrom(pod: PodInfo, container: Obj, from: Obj): string | undefined {
    if (from.fieldRef !== undefined) return this.fieldValue(pod, from.fieldRef.fieldPath);
    if (from.configMapKeyRef !== undefined) {
      const ref = from.configMapKeyRef;
      return this.configMapData(ref.name, pod.namespace, ref.optional)[ref.key] ?? missingKey(ref, 'ConfigMap');
    }
    if (from.secretKeyRef !== undefined) {
      const ref = from.secretKeyRef;
      return this.secretData(ref.name, pod.namespace, ref.optional)[ref.key] ?? missingKey(ref, 'Secret');
    }
    if (from.resourceFieldRef !== undefined) {
      const [kind, resource] = String(from.resourceFieldRef.resource).split('.');
      const value = container.resources?.[kind]?.[resource];
      if (value === undefined) throw new Error(`the harness needs resources.${kind}.${resource} set to resolve a resourceFieldRef`);
      return String(value);
    }
    throw new Error(`valueFrom not supported by the harness: ${Object.keys(from).join(', ')}`);
  }

  private fieldValue(pod: PodInfo, fieldPath: string): string {
    const meta = this.templateOf(pod.statefulSet).metadata ?? {};
    const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
    if (label !== null) return String(meta[label[1]]?.[label[2]] ?? '');
    switch (fieldPath) {
      case 'metadata.name': return pod.name;
      case 'metadata.namespace': return pod.namespace;
      case 'metadata.uid': return `00000000-0000-0000-0000-${String(pod.ordinal).padStart(12, '0')}`;
      case 'status.podIP': case 'status.podIPs': return pod.address;
      case 'status.hostIP': case 'status.hostIPs': return '127.0.0.1';
      case 'spec.nodeName': return os.hostname();
      case 'spec.serviceAccountName': return this.templateOf(pod.statefulSet).spec.serviceAccountName ?? 'default';
      default: throw new Error(`fieldRef ${fieldPath} not supported by the harness`);
    }
  }

  /** `<NAME>_SERVICE_HOST`, `_PORT`... for ClusterIP Services of the namespace (headless ones get none). */
  private serviceLinks(namespace: string): Record<string, string> {
    const links: Record<string, string> = {};
    const services = this.manifests.filter((m) => m.kind === 'Service' && (m.metadata.namespace ?? 'default') === namespace
      && m.spec?.clusterIP !== 'None' && (m.spec?.type ?? 'ClusterIP') !== 'ExternalName');
    for (const [i, svc] of [{ metadata: { name: 'kubernetes' }, spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } }, ...services].entries()) {
      const ip = `10.96.0.${1 + i}`;
      const prefix = String(svc.metadata.name).toUpperCase().replace(/-/g, '_');
      const ports = (svc.spec?.ports ?? []) as Obj[];
      if (ports.length === 0) continue;
      links[`${prefix}_SERVICE_HOST`] = ip;
      links[`${prefix}_SERVICE_PORT`] = String(ports[0].port);
      links[`${prefix}_PORT`] = `${(ports[0].protocol ?? 'TCP').toLowerCase()}://${ip}:${ports[0].port}`;
      for (const port of ports) {
        const proto = (port.protocol ?? 'TCP').toUpperCase();
        const key = `${prefix}_PORT_${port.port}_${proto}`;
        if (port.name !== undefined) links[`${prefix}_SERVICE_PORT_${String(port.name).toUpperCase().replace(/-/g, '_')}`] = String(port.port);
        links[key] = `${proto.toLowerCase()}://${ip}:${port.port}`;
        links[`${key}_PROTO`] = proto.toLowerCase();
        links[`${key}_PORT`] = String(port.port);
        links[`${key}_ADDR`] = ip;
      }
    }
    return links;
  }

  private configMapData(name: string, namespace: string, optional?: boolean): Record<string, string> {
    const cm = this.find('ConfigMap', name, namespace);
    if (cm === undefined) {
      if (optional === true) return {};
      throw new Error(`configmap "${name}" not found (namespace ${namespace})`);
    }
    const binary = Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('latin1')]));
    return { ...binary, ...(cm.data ?? {}) };
  }

  private secretData(name: string, namespace: string, optional?: boolean): Record<string, string> {
    const secret = this.find('Secret', name, namespace);
    if (secret === undefined) {
      if (optional === true) return {};
      throw new Error(`secret "${name}" not found (namespace ${namespace})`);
    }
    const data = Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('utf8')]));
    return { ...data, ...(secret.stringData ?? {}) };
  }

  private find(kind: string, name: string, namespace: string): Obj | undefined {
    return this.manifests.find((m) => m.kind === kind && m.metadata?.name === name && (m.metadata.namespace ?? 'default') === namespace);
  }

  /**
   * The user, group and supplementary groups of the container's processes. An unset runAsGroup is the primary
   * group of the image's user; the harness has no image /etc/passwd, so it is 0, as for a numeric uid the image
   * does not name. fsGroup and supplementalGroups are added.
   */
  private userOf(spec: Obj, container: Obj): { uid: number; gid: number; groups: number[] } {
    const pod = spec.securityContext ?? {};
    const own = container.securityContext ?? {};
    const uid = own.runAsUser ?? pod.runAsUser ?? this.options.imageUsers?.[container.image] ?? 0;
    const gid = own.runAsGroup ?? pod.runAsGroup ?? 0;
    const groups = [gid, ...(pod.fsGroup === undefined ? [] : [pod.fsGroup]), ...(pod.supplementalGroups ?? [])];
    return { uid, gid, groups };
  }

  /** `setpriv` arguments that switch to the container's identity. */
  private identity(spec: Obj, container: Obj): string[] {
    const user = this.userOf(spec, container);
    return ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, `--groups=${[...new Set(user.groups)].join(',')}`];
  }

  // ---- volumes

  /** Directory per volume name of this pod: claims persist, everything else is per incarnation. */
  private prepareVolumes(pod: Pod, spec: Obj): Map<string, string> {
    const dirs = new Map<string, string>();
    const fsGroup = spec.securityContext?.fsGroup as number | undefined;
    for (const template of (this.statefulSet(pod.statefulSet).spec.volumeClaimTemplates ?? []) as Obj[]) {
      const dir = path.join(this.workDir, 'claims', `${template.metadata.name}-${pod.name}`);
      fs.mkdirSync(dir, { recursive: true });
      if (fsGroup !== undefined) applyFsGroup(dir, fsGroup);
      dirs.set(template.metadata.name, dir);
    }
    for (const volume of (spec.volumes ?? []) as Obj[]) {
      const dir = path.join(pod.runDir!, 'volumes', volume.name);
      fs.mkdirSync(dir, { recursive: true });
      if (volume.configMap !== undefined) this.writeItems(dir, this.configMapData(volume.configMap.name, pod.namespace, volume.configMap.optional), volume.configMap);
      else if (volume.secret !== undefined) this.writeItems(dir, this.secretData(volume.secret.secretName, pod.namespace, volume.secret.optional), volume.secret);
      else if (volume.downwardAPI !== undefined) this.writeDownward(dir, pod, volume.downwardAPI);
      else if (volume.projected !== undefined) {
        for (const source of volume.projected.sources as Obj[]) {
          if (source.configMap !== undefined) this.writeItems(dir, this.configMapData(source.configMap.name, pod.namespace, source.configMap.optional), { defaultMode: volume.projected.defaultMode, ...source.configMap });
          else if (source.secret !== undefined) this.writeItems(dir, this.secretData(source.secret.name, pod.namespace, source.secret.optional), { defaultMode: volume.projected.defaultMode, ...source.secret });
          else if (source.downwardAPI !== undefined) this.writeDownward(dir, pod, source.downwardAPI);
        }
      } else if (volume.emptyDir !== undefined) {
        if (fsGroup !== undefined) applyFsGroup(dir, fsGroup);
        fs.chmodSync(dir, 0o777);
      } else if (volume.persistentVolumeClaim !== undefined) {
        const claim = path.join(this.workDir, 'claims', volume.persistentVolumeClaim.claimName);
        fs.mkdirSync(claim, { recursive: true });
        dirs.set(volume.name, claim);
        continue;
      } else {
        throw new Error(`volume ${volume.name}: kind not supported by the harness (${Object.keys(volume).filter((k) => k !== 'name').join(', ')})`);
      }
      if (fsGroup !== undefined && volume.emptyDir === undefined) applyFsGroup(dir, fsGroup, false);
      dirs.set(volume.name, dir);
    }
    return dirs;
  }

  private writeItems(dir: string, data: Record<string, string>, source: Obj): void {
    const items: Obj[] = (source.items as Obj[] | undefined) ?? Object.keys(data).map((key) => ({ key, path: key }));
    for (const item of items) {
      if (data[item.key] === undefined) throw new Error(`key ${item.key} not found for a volume item`);
      const file = path.join(dir, item.path);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, data[item.key], 'latin1');
      fs.chmodSync(file, item.mode ?? source.defaultMode ?? 0o644);
    }
  }

  private writeDownward(dir: string, pod: PodInfo, source: Obj): void {
    for (const item of (source.items ?? []) as Obj[]) {
      if (item.fieldRef === undefined) throw new Error('downwardAPI resourceFieldRef items are not supported by the harness');
      fs.writeFileSync(path.join(dir, item.path), this.fieldValue(pod, item.fieldRef.fieldPath));
    }
  }

  private deleteClaims(pod: PodInfo): void {
    for (const template of (this.statefulSet(pod.statefulSet).spec.volumeClaimTemplates ?? []) as Obj[]) {
      removeTree(path.join(this.workDir, 'claims', `${template.metadata.name}-${pod.name}`));
    }
  }

  // ---- processes

  private launch(pod: Pod, spec: Obj, container: Obj, volumes: Map<string, string>): RunningContainer {
    const env = this.environment(pod, spec, container);
    const entry = container.command as string[] | undefined ?? this.options.entrypoints?.[container.image];
    if (entry === undefined) {
      throw new Error(`container ${container.name} (${container.image}) sets no command and the harness does not know the image's entrypoint: pass entrypoints`);
    }
    const argv = [...entry.map((w) => expand(w, env)), ...((container.args ?? []) as string[]).map((w) => expand(w, env))];
    const user = this.userOf(spec, container);
    const security = container.securityContext ?? {};
    if ((security.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) === true && user.uid === 0) {
      throw new Error(`Error: container has runAsNonRoot and image will run as root (pod: "${pod.name}", container: ${container.name})`);
    }
    const root = path.join(pod.runDir!, 'roots', container.name);
    const script = this.rootScript(root, container, volumes, pod, security.readOnlyRootFilesystem === true);
    const log = path.join(pod.runDir!, `${container.name}.log`);
    const out = fs.openSync(log, 'a');
    const cwd = container.workingDir ?? '/';
    const child = spawn('unshare', [
      '--mount', '--uts', '--pid', '--fork', '--propagation', 'private', '--mount-proc',
      'sh', '-c', script, 'pod-setup',
      ...this.identity(spec, container),
      '/usr/bin/env', '-i', '-C', cwd, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv,
    ], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === null ? null : 128))));
    child.on('error', () => undefined);
    return { name: container.name, process: child, exited, log };
  }

  /** The shell that builds the container's private root and `exec`s its process there. */
  private rootScript(root: string, container: Obj, volumes: Map<string, string>, pod: PodInfo, readOnly: boolean): string {
    for (const dir of ['usr', 'dev', 'proc', 'sys', 'tmp', 'var', 'run', 'root', 'home', 'opt', 'srv', 'mnt']) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
    }
    fs.chmodSync(path.join(root, 'tmp'), 0o1777);
    fs.cpSync('/etc', path.join(root, 'etc'), { recursive: true, verbatimSymlinks: true });
    for (const [link, target] of [['bin', 'usr/bin'], ['sbin', 'usr/sbin'], ['lib', 'usr/lib'], ['lib64', 'usr/lib64']]) {
      fs.symlinkSync(target, path.join(root, link));
    }
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const lines = [
      'set -e',
      `mount --bind ${q(root)} ${q(root)}`,
      `mount --bind /usr ${q(root + '/usr')}`, `mount -o remount,bind,ro ${q(root + '/usr')}`,
      `mount --rbind /dev ${q(root + '/dev')}`, `mount --rbind /sys ${q(root + '/sys')}`,
      `mount -t proc proc ${q(root + '/proc')}`,
      `mount --bind ${q(path.join(this.workDir, 'hosts'))} ${q(root + '/etc/hosts')}`,
    ];
    for (const mount of (container.volumeMounts ?? []) as Obj[]) {
      const source = volumes.get(mount.name);
      if (source === undefined) throw new Error(`volumeMount ${mount.name} of ${container.name} names no volume`);
      const target = path.posix.normalize(mount.mountPath);
      if (target === '/usr' || target.startsWith('/usr/')) throw new Error(`mountPath ${target}: the harness shares the host's /usr and cannot mount into it`);
      const from = mount.subPath !== undefined ? path.join(source, mount.subPath) : source;
      if (mount.subPath !== undefined && !fs.existsSync(from)) fs.mkdirSync(from, { recursive: true });
      const inRoot = path.join(root, target);
      if (fs.statSync(from).isDirectory()) fs.mkdirSync(inRoot, { recursive: true });
      else {
        fs.mkdirSync(path.dirname(inRoot), { recursive: true });
        fs.writeFileSync(inRoot, '');
      }
      lines.push(`mount --bind ${q(from)} ${q(inRoot)}`);
      if (mount.readOnly === true) lines.push(`mount -o remount,bind,ro ${q(inRoot)}`);
    }
    lines.push(`hostname ${q(pod.name)}`);
    if (readOnly) lines.push(`mount -o remount,bind,ro ${q(root)}`);
    lines.push(`exec chroot ${q(root)} "$@"`);
    return lines.join('\n');
  }
}

/**
 * The runbook `cdk8s-stateful plan OLD NEW -f json` prints for two synthesized revisions (the built CLI, as a
 * user runs it): the steps of each member that comes or goes, in order.
 */
export function printedRunbook(oldManifests: readonly Obj[], newManifests: readonly Obj[]): RunbookStep[][] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
  try {
    const write = (name: string, objects: readonly Obj[]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
      return file;
    };
    const main = path.resolve(__dirname, '../../../lib/cli/main.js');
    const result = spawnSync(process.execPath, [main, 'plan', write('old.yaml', oldManifests), write('new.yaml', newManifests), '-f', 'json'], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`cdk8s-stateful plan exited ${result.status}: ${result.stderr}`);
    const { plans } = JSON.parse(result.stdout) as { plans: { members: { steps: RunbookStep[] }[] }[] };
    return plans.flatMap((plan) => plan.members.map((member) => member.steps));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `$(VAR)` expansion as the kubelet does it: defined names are replaced, `$$` is a literal `$`, the rest is kept. */
export function expand(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return '$';
    return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : match;
  });
}

function missingKey(ref: Obj, kind: string): string | undefined {
  if (ref.optional === true) return undefined;
  throw new Error(`couldn't find key ${ref.key} in ${kind} ${ref.name}`);
}

/** fsGroup as the kubelet applies it on every mount: group ownership and group read/write, setgid on directories. */
function applyFsGroup(target: string, gid: number, writable = true): void {
  const stat = fs.lstatSync(target);
  if (stat.isSymbolicLink()) return;
  fs.chownSync(target, stat.uid, gid);
  const group = writable ? 0o060 : 0o040;
  fs.chmodSync(target, (stat.mode & 0o7777) | group | (stat.isDirectory() ? 0o2010 : 0));
  if (stat.isDirectory()) for (const entry of fs.readdirSync(target)) applyFsGroup(path.join(target, entry), gid, writable);
}

/** The first process of the container: the unshare'd child (PID 1 of the container's PID namespace). */
function childOf(pid: number): number | undefined {
  try {
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length > 0 ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

function signalInit(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const init = childOf(child.pid);
  try {
    if (init !== undefined) process.kill(init, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function runToEnd(command: string, args: readonly string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: String(error) });
    });
  });
}

function httpProbe(secure: boolean, host: string, port: number | undefined, pathname: string, timeoutMs: number): Promise<string | undefined> {
  if (port === undefined) return Promise.resolve('probe port not found among the container ports');
  return new Promise((resolve) => {
    const request = (secure ? https : http).get({ host, port, path: pathname, timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? undefined : `HTTP probe failed with statuscode: ${status}`);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve(`Get "http://${host}:${port}${pathname}": ${error.message}`));
  });
}

function tcpProbe(host: string, port: number | undefined, timeoutMs: number): Promise<string | undefined> {
  if (port === undefined) return Promise.resolve('probe port not found among the container ports');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.on('connect', () => { socket.destroy(); resolve(undefined); });
    socket.on('timeout', () => { socket.destroy(); resolve(`dial tcp ${host}:${port}: i/o timeout`); });
    socket.on('error', (error) => resolve(`dial tcp ${host}:${port}: ${error.message}`));
  });
}

/** rm -rf that never crosses into another filesystem (a bind mount left behind would otherwise be emptied). */
function removeTree(dir: string): void {
  spawnSync('rm', ['-rf', '--one-file-system', dir]);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
