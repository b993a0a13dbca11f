/**
 * A deterministic benchmark corpus: stateful "units" (headless Service, StatefulSet, pre-bound NFS PVs,
 * standalone claims with their PVs), each in its own namespace and storage class so units never interact,
 * about one unit in five carrying exactly one known defect.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The defects a broken unit can carry, each one a way a real manifest goes wrong. */
export const DEFECTS = [
  'wrong-service-name',
  'service-not-headless',
  'selector-mismatch',
  'pv-too-small',
  'pv-rwx-only',
  'unknown-field',
  'bad-quantity',
] as const;
export type Defect = (typeof DEFECTS)[number];

/** The rule each defect must trigger (at least one finding of that rule in the unit's file). */
export const EXPECTED_RULE: Readonly<Record<Defect, string>> = {
  'wrong-service-name': 'sts-service',
  'service-not-headless': 'sts-service',
  'selector-mismatch': 'sts-selector',
  'pv-too-small': 'pvc-unbound',
  'pv-rwx-only': 'pvc-unbound',
  'unknown-field': 'schema',
  'bad-quantity': 'schema',
};

const REPLICAS = 4;
const STANDALONE_CLAIMS = 2;
/** Documents per unit: Service + StatefulSet + one PV per replica + a claim and a PV per standalone claim. */
export const DOCS_PER_UNIT = 2 + REPLICAS + 2 * STANDALONE_CLAIMS;

export interface CorpusOptions {
  readonly dir: string;
  readonly documents: number;
  readonly files: number;
  readonly seed: number;
  /** Share of units that carry a defect. */
  readonly brokenShare: number;
  /** Put every unit's claims and PVs in this one storage class (the binder's worst case) instead of one per unit. */
  readonly sharedClass?: string;
}

export interface CorpusSummary {
  readonly documents: number;
  readonly files: number;
  readonly units: number;
  readonly defects: ReadonlyMap<Defect, number>;
  /** File path → defects planted in it (for checking that the linter found them). */
  readonly defectsByFile: ReadonlyMap<string, readonly Defect[]>;
}

/** mulberry32: a tiny seeded PRNG, so every run lints the same corpus. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the corpus into `options.dir` (emptied first) and says what it planted where. */
export function generateCorpus(options: CorpusOptions): CorpusSummary {
  const units = Math.ceil(options.documents / DOCS_PER_UNIT);
  const random = seededRandom(options.seed);
  fs.rmSync(options.dir, { recursive: true, force: true });
  fs.mkdirSync(options.dir, { recursive: true });

  const files: string[][] = Array.from({ length: options.files }, () => []);
  const defectsByFile = new Map<string, Defect[]>();
  const defects = new Map<Defect, number>();
  for (let unit = 0; unit < units; unit++) {
    const defect = random() < options.brokenShare ? DEFECTS[Math.floor(random() * DEFECTS.length)] : undefined;
    const fileIndex = unit % options.files;
    files[fileIndex].push(...unitDocuments(unit, defect, options.sharedClass));
    if (defect) {
      const file = fileName(options.dir, fileIndex);
      defectsByFile.set(file, [...(defectsByFile.get(file) ?? []), defect]);
      defects.set(defect, (defects.get(defect) ?? 0) + 1);
    }
  }
  files.forEach((docs, i) => fs.writeFileSync(fileName(options.dir, i), docs.join('---\n')));
  return { documents: units * DOCS_PER_UNIT, files: options.files, units, defects, defectsByFile };
}

function fileName(dir: string, index: number): string {
  return path.join(dir, `apps-${String(index).padStart(4, '0')}.yaml`);
}

/** The YAML documents of one unit, with `defect` planted if given, in its own storage class unless one is given. */
export function unitDocuments(unit: number, defect?: Defect, storageClass = `static-${unit}`): string[] {
  const app = `app${unit}`;
  const ns = `bench-${unit}`;
  const docs = [
    service(app, ns, defect !== 'service-not-headless'),
    statefulSet(app, ns, storageClass, defect),
  ];
  // The StatefulSet's PVs are pre-bound (claimRef); the last one carries the StatefulSet-side storage defects.
  for (let ordinal = 0; ordinal < REPLICAS; ordinal++) {
    const last = ordinal === REPLICAS - 1;
    docs.push(persistentVolume({
      name: `${app}-data-${ordinal}`,
      storageClass,
      capacity: last && defect === 'pv-too-small' ? '10G' : '10Gi',
      accessMode: last && defect === 'pv-rwx-only' ? 'ReadWriteMany' : 'ReadWriteOnce',
      claimRef: { namespace: ns, name: `data-${app}-${ordinal}` },
    }));
  }
  // Standalone claims name their PV (volumeName), the other path through the binder.
  for (let i = 0; i < STANDALONE_CLAIMS; i++) {
    docs.push(claim(`${app}-scratch-${i}`, ns, storageClass, `${app}-scratch-${i}`));
    docs.push(persistentVolume({ name: `${app}-scratch-${i}`, storageClass, capacity: '1Gi', accessMode: 'ReadWriteOnce' }));
  }
  return docs;
}

function service(app: string, ns: string, headless: boolean): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${ns}
  labels:
    app: ${app}
spec:
${headless ? '  clusterIP: None\n' : ''}  selector:
    app: ${app}
  ports:
    - name: db
      port: 5432
`;
}

function statefulSet(app: string, ns: string, storageClass: string, defect?: Defect): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${app}
  namespace: ${ns}
spec:
  serviceName: ${defect === 'wrong-service-name' ? `${app}-headless` : app}
  ${defect === 'unknown-field' ? 'replicaz' : 'replicas'}: ${REPLICAS}
  selector:
    matchLabels:
      app: ${defect === 'selector-mismatch' ? `${app}-db` : app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: postgres
          image: postgres:16
          ports:
            - name: db
              containerPort: 5432
          resources:
            requests:
              memory: ${defect === 'bad-quantity' ? '512 megs' : '512Mi'}
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        storageClassName: ${storageClass}
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 10Gi
`;
}

interface PvSpec {
  readonly name: string;
  readonly storageClass: string;
  readonly capacity: string;
  readonly accessMode: string;
  readonly claimRef?: { readonly namespace: string; readonly name: string };
}

function persistentVolume(pv: PvSpec): string {
  const claimRef = pv.claimRef
    ? `  claimRef:\n    namespace: ${pv.claimRef.namespace}\n    name: ${pv.claimRef.name}\n`
    : '';
  return `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${pv.name}
spec:
  storageClassName: ${pv.storageClass}
  capacity:
    storage: ${pv.capacity}
  accessModes: [${pv.accessMode}]
  persistentVolumeReclaimPolicy: Retain
${claimRef}  nfs:
    server: nfs.example.com
    path: /exports/${pv.name}
`;
}

function claim(name: string, ns: string, storageClass: string, volumeName: string): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  storageClassName: ${storageClass}
  volumeName: ${volumeName}
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`;
}
