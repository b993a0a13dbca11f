/**
 * A deterministic benchmark corpus shaped like real manifests: StatefulSets with full pod templates (init
 * container, sidecar, env, probes, resources, affinity, claim templates), headless and client Services, pre-bound
 * and free PersistentVolumes, standalone claims. Apps share namespaces and storage classes, so the cross-resource
 * rules and the binder see large sets, as they do on a real cluster's manifests. About one app in five carries
 * exactly one known defect, and each must be found.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The defects a broken app can carry, each one a way a real manifest goes wrong. */
export const DEFECTS = [
  'wrong-service-name',
  'service-not-headless',
  'selector-mismatch',
  'pv-too-small',
  'pv-rwx-only',
  'unknown-field',
  'bad-quantity',
  'duplicate-key',
  'unmounted-template',
] as const;
export type Defect = (typeof DEFECTS)[number];

/** The rule each defect must trigger (at least one finding of that rule in the app's file). */
export const EXPECTED_RULE: Readonly<Record<Defect, string>> = {
  'wrong-service-name': 'sts-service',
  'service-not-headless': 'sts-service',
  'selector-mismatch': 'sts-selector',
  'pv-too-small': 'pvc-unbound',
  'pv-rwx-only': 'pvc-unbound',
  'unknown-field': 'schema',
  'bad-quantity': 'schema',
  'duplicate-key': 'yaml-syntax',
  'unmounted-template': 'vct-mount',
};

export interface CorpusOptions {
  readonly dir: string;
  readonly documents: number;
  readonly files: number;
  readonly seed: number;
  /** Share of apps that carry a defect. */
  readonly brokenShare: number;
  /** Apps per namespace (they share it, and their Services are all candidates for each other's serviceName). */
  readonly appsPerNamespace?: number;
}

export interface CorpusSummary {
  readonly documents: number;
  readonly files: number;
  readonly bytes: number;
  readonly apps: number;
  readonly defects: ReadonlyMap<Defect, number>;
  /** File path → defects planted in it (for checking that the linter found them). */
  readonly defectsByFile: ReadonlyMap<string, readonly Defect[]>;
}

/** mulberry32: a tiny seeded PRNG, so every run lints the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES = ['postgres:16.2', 'mysql:8.0.36', 'redis:7.2.4', 'mongo:7.0.5', 'bitnami/kafka:3.6.1', 'zookeeper:3.9.1',
  'cassandra:4.1.4', 'quay.io/coreos/etcd:v3.5.12', 'rabbitmq:3.12-management', 'elasticsearch:8.12.1'];
/** Pre-bound NFS PVs live in these classes (all their PVs carry a claimRef, so a defect cannot be masked). */
const PREBOUND_CLASSES = ['nfs', 'nfs-fast', 'nfs-archive'];
/** Free local PVs, shared by every app of a namespace that uses the class: one contention per namespace. */
const FREE_CLASS = 'local-ssd';

interface App {
  readonly id: number;
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  readonly templates: readonly string[];
  /** Pre-bound NFS PVs (claimRef) in `storageClass`, or free local PVs of the namespace's shared pool. */
  readonly preBound: boolean;
  readonly storageClass: string;
  readonly clientService: boolean;
  readonly standaloneClaim: boolean;
  readonly defect?: Defect;
}

/** Writes the corpus into `options.dir` (emptied first) and says what it planted where. */
export function generateCorpus(options: CorpusOptions): CorpusSummary {
  const random = seededRandom(options.seed);
  const appsPerNamespace = options.appsPerNamespace ?? 50;
  fs.rmSync(options.dir, { recursive: true, force: true });
  fs.mkdirSync(options.dir, { recursive: true });

  const apps: App[] = [];
  let documents = 0;
  for (let id = 0; documents < options.documents; id++) {
    const app = planApp(id, Math.floor(id / appsPerNamespace), random, options.brokenShare);
    apps.push(app);
    documents += documentsOf(app).length;
  }
  const files: string[][] = Array.from({ length: Math.min(options.files, apps.length) }, () => []);
  const defectsByFile = new Map<string, Defect[]>();
  const defects = new Map<Defect, number>();
  apps.forEach((app, i) => {
    const fileIndex = i % files.length;
    files[fileIndex].push(...documentsOf(app));
    if (app.defect) {
      const file = fileName(options.dir, fileIndex);
      defectsByFile.set(file, [...(defectsByFile.get(file) ?? []), app.defect]);
      defects.set(app.defect, (defects.get(app.defect) ?? 0) + 1);
    }
  });
  let bytes = 0;
  files.forEach((docs, i) => {
    const text = docs.join('---\n');
    bytes += Buffer.byteLength(text);
    fs.writeFileSync(fileName(options.dir, i), text);
  });
  return { documents, files: files.length, bytes, apps: apps.length, defects, defectsByFile };
}

function fileName(dir: string, index: number): string {
  return path.join(dir, `apps-${String(index).padStart(4, '0')}.yaml`);
}

function planApp(id: number, namespaceIndex: number, random: () => number, brokenShare: number): App {
  const defect = random() < brokenShare ? DEFECTS[Math.floor(random() * DEFECTS.length)] : undefined;
  const preBound = defect === 'pv-too-small' || defect === 'pv-rwx-only' || random() < 0.7;
  return {
    id,
    name: `${['db', 'cache', 'queue', 'search', 'store'][id % 5]}-${id}`,
    namespace: `team-${namespaceIndex}`,
    image: IMAGES[id % IMAGES.length],
    replicas: 3,
    templates: [...(random() < 0.25 ? ['data', 'wal'] : ['data']), ...(defect === 'unmounted-template' ? ['logs'] : [])],
    preBound,
    storageClass: preBound ? PREBOUND_CLASSES[id % PREBOUND_CLASSES.length] : FREE_CLASS,
    clientService: random() < 0.5,
    standaloneClaim: random() < 0.3,
    defect,
  };
}

/** The YAML documents of one app: Services, the StatefulSet, its PVs, a standalone claim and its PV. */
export function documentsOf(app: App): string[] {
  const docs = [configMap(app), headlessService(app)];
  if (app.clientService) docs.push(clientService(app));
  docs.push(statefulSet(app));
  app.templates.forEach((template, t) => {
    for (let ordinal = 0; ordinal < app.replicas; ordinal++) {
      const last = t === 0 && ordinal === app.replicas - 1;
      docs.push(persistentVolume(app, {
        name: app.preBound ? `${app.namespace}-${template}-${app.name}-${ordinal}` : `${app.namespace}-local-${app.id}-${t}-${ordinal}`,
        capacity: last && app.defect === 'pv-too-small' ? '10G' : sizeOf(template),
        storageClass: app.storageClass,
        accessModes: last && app.defect === 'pv-rwx-only' ? ['ReadWriteMany'] : ['ReadWriteOnce'],
        claimRef: app.preBound ? `${template}-${app.name}-${ordinal}` : undefined,
        node: `node-${(app.id + ordinal) % 16}`,
      }));
    }
  });
  if (app.standaloneClaim) {
    const name = `${app.name}-backup`;
    docs.push(claim(app, name));
    docs.push(persistentVolume(app, { name: `${app.namespace}-${name}`, capacity: '50Gi', accessModes: ['ReadWriteOnce'],
      claimRef: name, node: 'node-0', storageClass: 'nfs' }));
  }
  return docs;
}

function labels(app: App, indent: string, component = 'database'): string {
  return [
    `app.kubernetes.io/name: ${app.name}`,
    `app.kubernetes.io/instance: ${app.name}-prod`,
    `app.kubernetes.io/component: ${component}`,
    'app.kubernetes.io/part-of: platform',
    'app.kubernetes.io/managed-by: kustomize',
  ].map((line) => `${indent}${line}\n`).join('');
}

/** The app's configuration file, as real charts ship it next to the StatefulSet. */
function configMap(app: App): string {
  const settings = Array.from({ length: 50 }, (_, i) =>
    `    # ${['connection', 'memory', 'replication', 'logging', 'security'][i % 5]} setting ${i}: tuned for ${app.replicas} members\n` +
    `    setting_${i} = ${i % 3 === 0 ? `'${app.name}-${i}'` : i * 64}\n`).join('');
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app.name}-config
  namespace: ${app.namespace}
  labels:
${labels(app, '    ')}data:
  config.yaml: |
    cluster_name: ${app.name}
    peers: ${app.name}-0.${app.name}.${app.namespace}.svc.cluster.local,${app.name}-1.${app.name}.${app.namespace}.svc.cluster.local
${settings}  log-level: info
  max-connections: "200"
`;
}

function headlessService(app: App): string {
  return `# Headless Service: gives each pod of ${app.name} a stable DNS name
apiVersion: v1
kind: Service
metadata:
  name: ${app.name}
  namespace: ${app.namespace}
  labels:
${labels(app, '    ')}  annotations:
    service.alpha.kubernetes.io/tolerate-unready-endpoints: "true"
spec:
${app.defect === 'service-not-headless' ? '' : '  clusterIP: None\n'}  publishNotReadyAddresses: true
  selector:
    app.kubernetes.io/name: ${app.name}
    app.kubernetes.io/instance: ${app.name}-prod
  ports:
    - name: peer
      port: 7000
      targetPort: peer
    - name: client
      port: 5432
      targetPort: client
`;
}

function clientService(app: App): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${app.name}-client
  namespace: ${app.namespace}
  labels:
${labels(app, '    ')}spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${app.name}
    app.kubernetes.io/instance: ${app.name}-prod
  ports:
    - name: client
      port: 5432
      targetPort: client
      protocol: TCP
`;
}

function statefulSet(app: App): string {
  const { defect } = app;
  const mounts = app.templates
    .filter((t) => t !== 'logs')
    .map((t) => `            - name: ${t}\n              mountPath: /var/lib/${app.name}/${t}\n`).join('');
  const claimTemplates = app.templates.map((t) => `    - metadata:
        name: ${t}
        labels:
          app.kubernetes.io/name: ${app.name}
      spec:
        storageClassName: ${app.storageClass}
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: ${sizeOf(t)}
`).join('');
  return `# ${app.name}: a ${app.replicas}-member ${app.image.split(':')[0]} cluster
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${app.name}
  namespace: ${app.namespace}
  labels:
${labels(app, '    ')}  annotations:
    config.kubernetes.io/origin: |
      path: apps/${app.name}/statefulset.yaml
    deployment.kubernetes.io/revision: "${(app.id % 9) + 1}"
spec:
  serviceName: ${defect === 'wrong-service-name' ? `${app.name}-headless` : app.name}
  ${defect === 'unknown-field' ? 'replicaz' : 'replicas'}: ${app.replicas}
  podManagementPolicy: ${app.id % 3 === 0 ? 'Parallel' : 'OrderedReady'}
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
      app.kubernetes.io/name: ${app.name}
      app.kubernetes.io/instance: ${defect === 'selector-mismatch' ? `${app.name}-staging` : `${app.name}-prod`}
  template:
    metadata:
      labels:
${labels(app, '        ')}      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9187"
        checksum/config: 3f1c${String(app.id * 7919).padStart(8, '0')}a9e0b7d2c4f6e8a0b1c3d5e7f9a2b4c6d8e0f1a3
    spec:
      serviceAccountName: ${app.name}
      terminationGracePeriodSeconds: 60
      securityContext:
        runAsUser: 999
        runAsGroup: 999
        fsGroup: 999
        runAsNonRoot: true
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    app.kubernetes.io/name: ${app.name}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: ${app.name}
      nodeSelector:
        kubernetes.io/os: linux
      tolerations:
        - key: dedicated
          operator: Equal
          value: stateful
          effect: NoSchedule
      initContainers:
        - name: init-permissions
          image: busybox:1.36
          command: ["sh", "-c", "chown -R 999:999 /var/lib/${app.name} && echo ready"]
          securityContext:
            runAsUser: 0
            runAsNonRoot: false
          volumeMounts:
            - name: ${app.templates[0]}
              mountPath: /var/lib/${app.name}/${app.templates[0]}
      containers:
        - name: ${app.name.split('-')[0]}
          image: ${app.image}
          imagePullPolicy: IfNotPresent
          args: ["--config=/etc/${app.name}/config.yaml", "--data-dir=/var/lib/${app.name}/data"]
          ports:
            - name: client
              containerPort: 5432
              protocol: TCP
            - name: peer
              containerPort: 7000
              protocol: TCP
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: PEER_DISCOVERY_SERVICE
              value: ${app.name}.${app.namespace}.svc.cluster.local
            - name: CLUSTER_SIZE
              value: "${app.replicas}"
            - name: ADMIN_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${app.name}-credentials
                  key: password
            - name: LOG_LEVEL
              value: info
            - name: MEMORY_LIMIT
              valueFrom:
                resourceFieldRef:
                  containerName: ${app.name.split('-')[0]}
                  resource: limits.memory
            - name: TZ
              value: UTC
          envFrom:
            - configMapRef:
                name: ${app.name}-env
                optional: true
          lifecycle:
            preStop:
              exec:
                command: ["sh", "-c", "sleep 10 && /usr/local/bin/graceful-shutdown --timeout=45s"]
          startupProbe:
            tcpSocket:
              port: client
            periodSeconds: 10
            failureThreshold: 30
          resources:
            requests:
              cpu: 500m
              memory: ${defect === 'bad-quantity' ? '2 gigs' : '2Gi'}
            limits:
              cpu: "2"
              memory: 4Gi
          livenessProbe:
            tcpSocket:
              port: client
            initialDelaySeconds: 30
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            exec:
              command: ["sh", "-c", "exec pg_isready -h 127.0.0.1 -p 5432"]
            initialDelaySeconds: 5
            periodSeconds: 10
            timeoutSeconds: 5
          volumeMounts:
${mounts}            - name: config
              mountPath: /etc/${app.name}
              readOnly: true
        - name: metrics
          image: prometheuscommunity/postgres-exporter:v0.15.0
          ports:
            - name: metrics
              containerPort: 9187
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              memory: 128Mi
        - name: backup-agent
          image: registry.example.com/platform/backup-agent:2.4.1
          args: ["--schedule=0 3 * * *", "--target=s3://backups/${app.namespace}/${app.name}", "--retention=14d"]
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: AWS_REGION
              value: eu-west-1
            - name: AWS_ACCESS_KEY_ID
              valueFrom:
                secretKeyRef:
                  name: ${app.name}-backup
                  key: access-key-id
            - name: AWS_SECRET_ACCESS_KEY
              valueFrom:
                secretKeyRef:
                  name: ${app.name}-backup
                  key: secret-access-key
          resources:
            requests:
              cpu: 10m
              memory: 32Mi
            limits:
              memory: 256Mi
          volumeMounts:
            - name: ${app.templates[0]}
              mountPath: /backup/source
              readOnly: true
      volumes:
        - name: config
          configMap:
            name: ${app.name}-config
            defaultMode: 0644
  volumeClaimTemplates:
${claimTemplates}${defect === 'duplicate-key' ? `  replicas: ${app.replicas + 2}\n` : ''}`;
}

interface PvSpec {
  readonly name: string;
  readonly capacity: string;
  readonly accessModes: readonly string[];
  /** Name of the claim (in the app's namespace) the PV is pre-bound to. */
  readonly claimRef?: string;
  readonly node: string;
  readonly storageClass: string;
}

function sizeOf(template: string): string {
  return template === 'data' ? '10Gi' : template === 'wal' ? '2Gi' : '1Gi';
}

function persistentVolume(app: App, pv: PvSpec): string {
  const claimRef = pv.claimRef === undefined ? '' : `  claimRef:
    apiVersion: v1
    kind: PersistentVolumeClaim
    namespace: ${app.namespace}
    name: ${pv.claimRef}
`;
  const source = pv.claimRef !== undefined
    ? `  nfs:\n    server: nfs-${app.id % 4}.storage.example.com\n    path: /exports/${app.namespace}/${pv.name}\n`
    : `  local:
    path: /mnt/disks/${pv.name}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - key: kubernetes.io/hostname
              operator: In
              values: [${pv.node}]
`;
  return `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${pv.name}
  labels:
    app.kubernetes.io/name: ${app.name}
spec:
  storageClassName: ${pv.storageClass}
  capacity:
    storage: ${pv.capacity}
  accessModes: [${pv.accessModes.join(', ')}]
  persistentVolumeReclaimPolicy: Retain
  volumeMode: Filesystem
${claimRef}${source}`;
}

function claim(app: App, name: string): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
  namespace: ${app.namespace}
  labels:
    app.kubernetes.io/name: ${app.name}
spec:
  storageClassName: nfs
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 50Gi
`;
}

/** One app's file, clean: the one-file cold-start case. */
export function oneAppFile(): string {
  return documentsOf(planApp(0, 0, () => 0.9, 0)).join('---\n');
}
