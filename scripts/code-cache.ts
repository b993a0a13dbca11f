/**
 * Build step, after tsc and the generators: the CLI's cold start (issue 13).
 *   build/lib/cli/main.bundle.js (+ .cache)    every module of build/lib the CLI can reach from cli/run-cli.js,
 *                                              in one file (lib/cli/bundle.ts runs it)
 *   build/lib/schema/generated/validators/*.js.cache, build/lib/lint/generated/settings-validator.js.cache
 *                                              V8 code caches of the default version's validators and of the
 *                                              settings validator
 * The CLI runs the bundle while it is newer than its loader (lib/cli/bundle.ts): a later `tsc` makes the files run.
 *
 * The caches of the bundle and of the validators a small app needs hold what a lint of that app compiles (a cache
 * of everything would cost more to read than the functions a lint never runs cost to skip); the other validators'
 * caches hold every function. A code cache fits the Node (V8) version that wrote it; under another, V8 rejects it
 * and the file is compiled as usual (lib/core/code-cache.ts). Run with the path of a copy of build/lib to bundle
 * that copy (tests do).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { setFlagsFromString } from 'v8';
import { Script } from 'vm';
import type * as Bundle from '../lib/cli/bundle';
import type * as RunCli from '../lib/cli/run-cli';
import type * as CodeCache from '../lib/core/code-cache';

/** build/lib, or the copy of it named on the command line (tests bundle copies). */
const LIB = path.resolve(process.argv[2] ?? path.join(__dirname, '../lib'));
const BUNDLE_ENTRY = 'cli/run-cli.js';
const BUNDLE = path.join(LIB, 'cli/main.bundle.js');
const VALIDATORS = path.join(LIB, 'schema/generated/validators');
const SETTINGS_VALIDATOR = path.join(LIB, 'lint/generated/settings-validator.js');
// The copy's own modules: the bundle it runs must record its scripts in the code-cache module it loads.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { cacheFileOf, recordScripts, requireWithCodeCache, wrappedCodeOf } = require(path.join(LIB, 'core/code-cache.js')) as typeof CodeCache;

/**
 * The training run's input: an app as users write one, in the file `cdk8s synth` writes (dist/app.k8s.yaml): a
 * ConfigMap, a headless Service, a StatefulSet with a full pod template (init container, sidecar, env from fields,
 * secrets and resources, probes, affinity, tolerations), local PVs its claims compete for (the warning most apps
 * get first), and a PDB. Functions the training does not run are compiled at run time, so it covers what a
 * typical lint runs: reading a directory, the schemas of these kinds, the binder, a finding in each report format.
 */
const TRAINING_APP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: db-config
  namespace: data
  labels: { app.kubernetes.io/name: db, app.kubernetes.io/part-of: platform }
data:
  db.conf: |
    max_connections = 200
  log-level: info
---
# Headless Service: gives each pod a stable DNS name
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: data
  labels:
    app.kubernetes.io/name: db
  annotations:
    service.alpha.kubernetes.io/tolerate-unready-endpoints: "true"
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    app.kubernetes.io/name: db
  ports:
    - name: peer
      port: 7000
      targetPort: peer
    - name: db
      port: 5432
      targetPort: db
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
  labels:
    app.kubernetes.io/name: db
  annotations:
    deployment.kubernetes.io/revision: "1"
spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: Parallel
  revisionHistoryLimit: 10
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 0
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Retain
  selector:
    matchLabels:
      app.kubernetes.io/name: db
  template:
    metadata:
      labels:
        app.kubernetes.io/name: db
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: db
      terminationGracePeriodSeconds: 60
      securityContext: { runAsUser: 999, fsGroup: 999, runAsNonRoot: true }
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    app.kubernetes.io/name: db
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: db
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
        - { key: dedicated, operator: Equal, value: stateful, effect: NoSchedule }
      initContainers:
        - name: init-permissions
          image: busybox:1.36
          command: ["sh", "-c", "chown -R 999:999 /var/lib/db"]
          securityContext: { runAsUser: 0, runAsNonRoot: false }
          volumeMounts:
            - { name: data, mountPath: /var/lib/db }
      containers:
        - name: db
          image: postgres:16.4
          imagePullPolicy: IfNotPresent
          args: ["-c", "config_file=/etc/db/db.conf"]
          ports:
            - { name: db, containerPort: 5432, protocol: TCP }
            - { name: peer, containerPort: 7000 }
          env:
            - name: POD_NAME
              valueFrom: { fieldRef: { fieldPath: metadata.name } }
            - name: PEERS
              value: db-0.db.data.svc.cluster.local,db-1.db.data.svc.cluster.local
            - name: PASSWORD
              valueFrom: { secretKeyRef: { name: db-credentials, key: password } }
            - name: MEMORY_LIMIT
              valueFrom: { resourceFieldRef: { containerName: db, resource: limits.memory } }
          envFrom:
            - configMapRef: { name: db-env, optional: true }
          lifecycle:
            preStop:
              exec: { command: ["sh", "-c", "sleep 10"] }
          startupProbe:
            tcpSocket: { port: db }
            failureThreshold: 30
          readinessProbe:
            exec: { command: ["pg_isready", "-h", "127.0.0.1"] }
            periodSeconds: 10
          livenessProbe:
            tcpSocket: { port: db }
            initialDelaySeconds: 30
            failureThreshold: 6
          resources:
            requests: { cpu: 500m, memory: 1Gi }
            limits: { cpu: "2", memory: 2Gi }
          volumeMounts:
            - { name: data, mountPath: /var/lib/db }
            - { name: config, mountPath: /etc/db, readOnly: true }
        - name: metrics
          image: prometheuscommunity/postgres-exporter:v0.15.0
          ports:
            - { name: metrics, containerPort: 9187 }
          resources:
            requests: { cpu: 50m, memory: 64Mi }
      volumes:
        - name: config
          configMap: { name: db-config, defaultMode: 0644 }
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: local-ssd
        resources:
          requests: { storage: 10Gi }
${[0, 1, 2].map((i) => `---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: db-local-${i}
spec:
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: local-ssd
  volumeMode: Filesystem
  local: { path: /mnt/disks/db-${i} }
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - { key: kubernetes.io/hostname, operator: In, values: [node-${i}] }
`).join('')}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
  namespace: data
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: db
`;

/** What users run most, on the app's directory (the default and JSON formats) and on stdin; the rule list, the version. */
function trainingCommands(dir: string): string[][] {
  return [['lint', dir], ['lint', dir, '--format', 'json'], ['lint', '-'], ['rules'], ['--version']];
}

/** The relative modules a compiled module requires by a literal path (`require("../core/rule")`, `require('./x')`). */
function literalRequires(source: string): string[] {
  return [...source.matchAll(/\brequire\((["'])(\.{1,2}\/[^"']*)\1\)/g)].map((m) => m[2]);
}

/** The file a relative require from `fromKey` names, as a key under build/lib, the way Node resolves it. */
function resolveKey(fromKey: string, request: string): string {
  const target = path.posix.join(path.posix.dirname(fromKey), request);
  const key = [`${target}.js`, `${target}/index.js`, target].find((k) => fs.existsSync(path.join(LIB, k)) && fs.statSync(path.join(LIB, k)).isFile());
  if (!key) throw new Error(`code-cache: ${fromKey} requires ${request}, which is not in ${LIB}`);
  return key;
}

interface ModuleText {
  readonly source: string;
  /** Each literal relative require → the key of the module it names. */
  readonly requires: Record<string, string>;
}

/** Every module reachable from `entry` by literal relative requires. */
function reachableModules(entry: string): Map<string, ModuleText> {
  const modules = new Map<string, ModuleText>();
  const pending = [entry];
  while (pending.length > 0) {
    const key = pending.pop() as string;
    if (modules.has(key)) continue;
    const source = fs.readFileSync(path.join(LIB, key), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
    const requires = Object.fromEntries(literalRequires(source).map((request) => [request, resolveKey(key, request)]));
    modules.set(key, { source, requires });
    pending.push(...Object.values(requires));
  }
  return modules;
}

/** The bundle: `module.exports = { key: { requires, run }, ... }` (the shape lib/cli/bundle.ts reads). */
function bundleSource(modules: ReadonlyMap<string, ModuleText>): string {
  const entries = [...modules].map(([key, { source, requires }]) =>
    `${JSON.stringify(key)}: { requires: ${JSON.stringify(requires)}, run: function (exports, require, module, __filename, __dirname) {${source}\n} }`);
  const text = `// Generated by scripts/code-cache.ts: the CLI's modules (lib/cli/bundle.ts). Do not edit.\nmodule.exports = {\n${entries.join(',\n')}\n};\n`;
  return asciiOnly(text);
}

/**
 * `text` with every non-ASCII character written as a \u escape: Node reads an ASCII file faster, and V8 keeps it
 * at one byte a character. Outside comments, the modules have such characters only in string and template literals
 * (`→`, `⌊n/2⌋`), where the escape means the same character; no tagged template reads them raw (a test compares
 * the bundled CLI's output with the files').
 */
function asciiOnly(text: string): string {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Writes `filename`'s code cache with every function compiled (V8 otherwise caches only what ran), for the
 * validators the training run did not load. The flag is switched back before the cache is made: V8 checks flags.
 */
function writeCodeCache(filename: string): number {
  setFlagsFromString('--no-lazy');
  let script: Script;
  try {
    script = new Script(wrappedCodeOf(filename), { filename });
  } finally {
    setFlagsFromString('--lazy');
  }
  const cache = script.createCachedData();
  fs.writeFileSync(cacheFileOf(filename), cache);
  return cache.length;
}

/**
 * Runs the training commands from the bundle in this process, then writes the cache of every script they compiled
 * (the bundle, the validators of the app's kinds). Returns the files cached and their bytes.
 */
async function writeTrainedCaches(): Promise<Map<string, number>> {
  const scripts = recordScripts();
  const { runBundled } = require(path.join(LIB, 'cli/bundle.js')) as typeof Bundle;
  const { runCli } = runBundled(requireWithCodeCache(BUNDLE) as Bundle.BundledModules, BUNDLE_ENTRY) as typeof RunCli;
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'code-cache-'));
  try {
    fs.mkdirSync(path.join(app, 'dist'));
    fs.writeFileSync(path.join(app, 'dist/app.k8s.yaml'), TRAINING_APP);
    for (const args of trainingCommands(path.join(app, 'dist'))) {
      const output: string[] = [];
      const sink = { write: (text: string) => output.push(text) };
      const code = await runCli(args, { stdout: sink, stderr: sink, stdin: Readable.from([TRAINING_APP]), isTTY: false });
      if (code === 2) throw new Error(`code-cache: the training run \`${args.join(' ')}\` failed: ${output.join('')}`);
    }
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
  const written = new Map<string, number>();
  for (const [filename, script] of scripts) {
    const cache = script.createCachedData();
    fs.writeFileSync(cacheFileOf(filename), cache);
    written.set(filename, cache.length);
  }
  return written;
}

async function main(): Promise<void> {
  const started = Date.now();
  const modules = reachableModules(BUNDLE_ENTRY);
  const schemaValidators = fs.readdirSync(VALIDATORS).filter((f) => f.endsWith('.js')).map((f) => path.join(VALIDATORS, f));
  const validators = [...schemaValidators, SETTINGS_VALIDATOR];
  // Old caches go first: a cache must never sit beside a file it was not made from, nor feed the training run.
  for (const file of [BUNDLE, ...validators]) fs.rmSync(cacheFileOf(file), { force: true });
  fs.writeFileSync(BUNDLE, bundleSource(modules));
  let trained: Map<string, number>;
  try {
    trained = await writeTrainedCaches();
    if (!trained.has(BUNDLE)) throw new Error('code-cache: the training run did not load the bundle');
  } catch (error) {
    fs.rmSync(BUNDLE); // the CLI runs from the files
    throw error;
  }
  let bytes = [...trained.values()].reduce((a, b) => a + b, 0);
  for (const file of validators) if (!trained.has(file)) bytes += writeCodeCache(file);
  const kib = (n: number) => `${Math.round(n / 1024)} KiB`;
  console.log(`code-cache: bundle of ${modules.size} modules (${kib(fs.statSync(BUNDLE).size)}), caches for it and ${validators.length} validator modules (${kib(bytes)}; ${trained.size - 1} from the training run), ${Date.now() - started} ms`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
