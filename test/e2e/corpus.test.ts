/**
 * Real manifests (issue 3, "Real manifests"): lint ../shared/corpus/real the way each repository would be linted,
 * and check that
 *   1. the cross-resource rules (lib/rules) report exactly the findings in RULE_FINDINGS below, no more, no less;
 *   2. each real defect the engine's own rules must catch (removed API versions, a missing selector) is reported;
 *   3. no file outside those tables gets any error: Kubernetes 1.28 accepts and runs them.
 * INDEX.tsv's readings were hints; every entry below was checked against Kubernetes' own rules (see each comment).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadText, type LoadResult } from '../../lib/load/load';
import { lintLoaded } from '../../lib/lint/run';
import type { Finding } from '../../lib/core/types';
import { registry } from '../../lib/rules';

const repoRoot = path.resolve(__dirname, '../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/real');

/** Files that are not standalone manifests, with the reason they are left out. */
const EXCLUDED: Readonly<Record<string, string>> = {
  'Yolean__kubernetes-kafka/variants__aws-gp2__volume-claims.yaml':
    'a kustomize strategic-merge patch: two partial StatefulSets carrying only volumeClaimTemplates, merged by ' +
    'kustomize into kafka/ and zookeeper/; linted alone it would lack selector, template and serviceName',
};

/**
 * Repositories linted as one set rather than one set per directory, because they are applied together.
 * consul-on-kubernetes: the README applies services/ and statefulsets/ to the same cluster; the StatefulSet's
 * headless Service lives in services/consul.yaml.
 */
const WHOLE_REPOSITORY = new Set(['kelseyhightower/consul-on-kubernetes']);

interface Expected {
  /** Corpus file, as in INDEX.tsv (`owner__repo/path__with__underscores.yaml`). */
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** Every finding of lib/rules on the corpus, exactly. */
const RULE_FINDINGS: readonly Expected[] = [
  // PVs are cluster-scoped: metadata.namespace is dropped by the API server. A warning, not an error: the PV works.
  {
    file: 'kubernetes-csi__csi-driver-nfs/deploy__example__nfs-provisioner__nginx-pod.yaml',
    line: 8,
    rule: 'pv-namespace',
    severity: 'warning',
    message:
      'PersistentVolumes are cluster-scoped: metadata.namespace "default" is ignored and does not limit which ' +
      'claims can bind this PV',
  },
  // 3 replicas x local-vol (1Gi RWO, class local-storage) against the one PV of examples/ (example-local-pv, 5Gi
  // RWO, class local-storage). No StorageClass local-storage is in the directory, so whether a provisioner serves the
  // class is unknown (local volumes never are: the repository's own class is kubernetes.io/no-provisioner; the
  // static provisioner only publishes disks already mounted on nodes, which the linter cannot see). The claims are
  // simulated because PVs of their class are in the set; the outcome depends on that assumption, so a warning that
  // states it: under OrderedReady ordinal 0 binds the PV, pod local-test-1 waits forever and local-test-2 is never
  // created.
  {
    file: 'kubernetes-sigs__sig-storage-local-static-provisioner/examples__local-statefulset.yaml',
    line: 42,
    rule: 'pvc-unbound',
    severity: 'warning',
    message:
      'if no provisioner serves class "local-storage" (no StorageClass of that name is among the linted files): ' +
      'local-vol-local-test-1: too few PVs (3 claims need ReadWriteOnce 1Gi of class "local-storage"; only ' +
      'example-local-pv fits); under OrderedReady pod local-test-1 stays Pending and pod local-test-2 is never created',
  },
  // The website's mysql/ directory holds two alternative tutorials (a single-instance Deployment, a replicated
  // StatefulSet) that each define Service mysql without a namespace. Linted as one directory they are one set, in
  // which the second Service would overwrite the first; applied with -n into different namespaces they would not
  // collide: a warning, at the earlier copy (files are read in name order).
  {
    file: 'kubernetes__website/content__en__examples__application__mysql__mysql-deployment.yaml',
    line: 4,
    rule: 'duplicate-object',
    severity: 'warning',
    message:
      'Service "mysql" in namespace "default" is defined again at ' +
      'kubernetes__website/content__en__examples__application__mysql__mysql-services.yaml:5; a copy sets no ' +
      'metadata.namespace, so applied with -n into different namespaces they are separate objects, but applied ' +
      'together only the later copy is kept: if these files are alternatives, apply one of them; otherwise give one ' +
      'copy its own name',
  },
  // Operator knowledge (issue 11). The ZooKeeper tutorial's StatefulSet labels its pods app.kubernetes.io/name: zk,
  // but its required anti-affinity term still selects app: zk: it matches no pod, so the scheduler may put all three
  // servers on one node. The same defect (a selector that never matches) was fixed once in this very tutorial,
  // kubernetes/website#7700 ("antiaffinity selector zk-hs never matches"), and in apache/pulsar-helm-chart#39.
  {
    file: 'kubernetes__website/content__en__examples__application__zookeeper__zookeeper.yaml',
    line: 57,
    rule: 'quorum-spread',
    severity: 'error',
    message:
      'ZooKeeper StatefulSet "zk" (3 replicas, quorum 2) has required anti-affinity or spread terms whose ' +
      'labelSelector does not match its pod labels (1): the scheduler may put 2 or more members on one node, and ' +
      'losing that node loses the quorum; add a required podAntiAffinity term on kubernetes.io/hostname whose ' +
      'labelSelector matches the pod labels, or a topologySpreadConstraint with whenUnsatisfiable: DoNotSchedule',
  },
  // The e2e etcd StatefulSet (k8s.gcr.io/etcd-amd64 with --initial-cluster): true findings. Nothing spreads its 3
  // members over nodes; it has no readiness probe, so a rolling update replaces members as fast as containers start;
  // and its preStop hook runs `etcdctl member remove` (then wipes the data dir) on every termination, so every
  // restart or eviction is a membership change: the failure of etcd-io/etcd#14542 ("ETCD cluster loses member on
  // GKE every day at 5am", Bitnami's prestop.sh) and bitnami/bitnami-docker-etcd#27. The e2e test only scales it.
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__etcd__statefulset.yaml',
    line: 15,
    rule: 'quorum-spread',
    severity: 'error',
    message:
      'etcd StatefulSet "etcd" (3 replicas, quorum 2) has no required pod anti-affinity and no DoNotSchedule ' +
      'topology spread on hostname or zone: the scheduler may put 2 or more members on one node, and losing that ' +
      'node loses the quorum; add a required podAntiAffinity term on kubernetes.io/hostname whose labelSelector ' +
      'matches the pod labels, or a topologySpreadConstraint with whenUnsatisfiable: DoNotSchedule',
  },
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__etcd__statefulset.yaml',
    line: 16,
    rule: 'rollout-outpaces-rejoin',
    severity: 'warning',
    message:
      'etcd StatefulSet "etcd" (3 replicas) rolls updates with RollingUpdate, minReadySeconds 0 and no readiness ' +
      "probe: the controller replaces the next member as soon as the previous one's container runs, before it has " +
      'rejoined and caught up, so a rollout can take down the quorum; add a readiness probe that passes only once ' +
      'the member serves (or set minReadySeconds to the time a member needs to rejoin)',
  },
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__etcd__statefulset.yaml',
    line: 38,
    rule: 'stateful-shutdown',
    severity: 'warning',
    message:
      'the preStop hook of container "etcd" in StatefulSet "etcd" runs etcdctl member remove: it runs on every ' +
      'restart, eviction and rolling update, not only on a scale-down, so each routine restart removes a member ' +
      '(and its data) from the cluster; change membership only when scaling down, by hand or in a one-shot Job',
  },
  // redis-statefulset.yaml and cassandra-petset.yaml: apps/v1beta1 StatefulSets, which 1.28 does not serve. The
  // schema finding (ENGINE_DEFECTS) is all they get: the rules check only objects 1.28 would accept.
  // No spec.serviceName. The 1.28 OpenAPI lists it as required, but the 1.28 API server does not check it
  // (upstream marked it optional in 1.33, kubernetes/kubernetes#130233): Kubernetes accepts and runs this
  // StatefulSet, so it is a warning, not an error. The pods get no per-pod DNS names; the file's Service, which is
  // not headless, load-balances over them instead, which is all this single-replica blob server needs (its author
  // left `#serviceName: blob-server` commented out).
  {
    file: 'kubernetes__examples/AI__modelcloud__k8s__blob-server__manifest.yaml',
    line: 28,
    rule: 'sts-service',
    severity: 'warning',
    message:
      'StatefulSet "blob-server" has no spec.serviceName: the 1.28 API server accepts it, but the 1.28 OpenAPI ' +
      'schema lists it as required, so tools that validate against it (Helm, kubectl\'s client-side validation) ' +
      'refuse the manifest (missing required field "serviceName"), and the pods get no stable per-pod DNS names ' +
      '(<pod>.<service>.<namespace>.svc.cluster.local): peers cannot address blob-server-0, blob-server-1, ... by ' +
      'name; create a headless Service (clusterIP: None) that selects the pods and set spec.serviceName to its name',
  },
];

/**
 * What the linted sets name but do not define: notes in the summary (a pre-commit hook passes only staged files),
 * errors only under --complete. Each names the StatefulSet's file and line.
 */
const RULE_NOTES: readonly string[] = [
  // serviceName demo-statefulset: no Service of that name anywhere in the repository's examples.
  'Service "demo-statefulset" (serviceName of StatefulSet demo-statefulset-raw-block, ' +
    'IBM__ibm-block-csi-driver/deploy__kubernetes__examples__demo-statefulset-raw-block.yaml:9)',
  // serviceName statefulset-nfs: no such Service exists in the repository. Its claims (class nfs-csi, whose
  // StorageClass with provisioner nfs.csi.k8s.io is in the same directory) are dynamic: no pvc-unbound although the
  // static PV pv-nfs of that class is RWX-only and pre-bound by volumeName to pvc-nfs-static.
  'Service "statefulset-nfs" (serviceName of StatefulSet statefulset-nfs, ' +
    'kubernetes-csi__csi-driver-nfs/deploy__example__statefulset.yaml:10)',
  // serviceName local-service: no such Service anywhere in the repository.
  'Service "local-service" (serviceName of StatefulSet local-test, ' +
    'kubernetes-sigs__sig-storage-local-static-provisioner/examples__local-statefulset.yaml:6)',
];

interface EngineDefect {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  /** A fragment of the message: the wording belongs to the engine's rules, the defect to the corpus. */
  readonly says: string;
}

/** Real defects of the corpus that the engine's own rules (`schema`, `yaml-syntax`) must report. */
const ENGINE_DEFECTS: readonly EngineDefect[] = [
  // apps/v1beta1 StatefulSet: removed in 1.16, not served by 1.28 (the k8s 1.6-era manifest also has no selector).
  {
    file: 'cockroachdb__cockroach/cloud__kubernetes__v1.6__cockroachdb-statefulset.yaml',
    line: 57,
    rule: 'schema',
    says: 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28',
  },
  {
    file: 'cvallance__mongo-k8s-sidecar/example__StatefulSet__mongo-statefulset.yaml',
    line: 28,
    rule: 'schema',
    says: 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28',
  },
  {
    file: 'kubernetes__examples/staging__storage__redis__redis-statefulset.yaml',
    line: 16,
    rule: 'schema',
    says: 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28',
  },
  {
    file: 'kubernetes__examples/storage__cassandra__cassandra-petset.yaml',
    line: 1,
    rule: 'schema',
    says: 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28',
  },
  // apps/v1beta2 StatefulSet: removed in 1.16 as well.
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__nginx__statefulset.yaml',
    line: 1,
    rule: 'schema',
    says: 'apps/v1beta2 StatefulSet is not served by Kubernetes 1.28',
  },
  // policy/v1beta1 PodDisruptionBudget: removed in 1.25 (the StatefulSet of that file is fine).
  {
    file: 'kubernetes__examples/_archived__cockroachdb__cockroachdb-statefulset.yaml',
    line: 57,
    rule: 'schema',
    says: 'policy/v1beta1 PodDisruptionBudget is not served by Kubernetes 1.28',
  },
  // apps/v1 StatefulSets without spec.selector: the API server rejects them (`spec.selector: Required value`); the
  // e2e framework adds a selector in Go before creating them, but as manifests they are invalid.
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__etcd__statefulset.yaml',
    line: 7,
    rule: 'schema',
    says: 'spec.selector: Required value',
  },
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__mysql-galera__statefulset.yaml',
    line: 5,
    rule: 'schema',
    says: 'spec.selector: Required value',
  },
  // Served by no 1.28 API server: PetSet (apps/v1alpha1, Kubernetes 1.3/1.4) and two more apps/v1beta1
  // StatefulSets. All three carry a multi-line single-quoted JSON annotation whose last line `        ]'` is not
  // indented past its key: kubectl's YAML parser (go-yaml) accepts it, and so does the loader (no yaml-syntax
  // finding), so the removed apiVersion is what gets reported.
  {
    file: 'kubernetes__examples/cockroachdb__cockroachdb-petset.yaml',
    line: 57,
    rule: 'schema',
    says: 'not served by Kubernetes 1.28',
  },
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__multivolumezk__statefulset.yaml',
    line: 1,
    rule: 'schema',
    says: 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28',
  },
  {
    file: 'kubernetes__kubernetes/test__e2e__testing-manifests__statefulset__redis__statefulset.yaml',
    line: 1,
    rule: 'schema',
    says: 'apps/v1beta1 StatefulSet is not served by Kubernetes 1.28',
  },
];

interface IndexRow {
  readonly file: string;
  readonly repo: string;
  readonly repoPath: string;
}

function readIndex(): IndexRow[] {
  const [, ...rows] = fs.readFileSync(path.join(corpus, 'INDEX.tsv'), 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [file, repo, repoPath] = row.split('\t');
    return { file, repo, repoPath };
  });
}

/** Files grouped as their repositories would be linted: per repository and directory, unless applied as a whole. */
function groups(rows: readonly IndexRow[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const row of rows) {
    if (row.file in EXCLUDED) continue;
    const key = WHOLE_REPOSITORY.has(row.repo) ? row.repo : `${row.repo}/${path.posix.dirname(row.repoPath)}`;
    result.set(key, [...(result.get(key) ?? []), row.file]);
  }
  return result;
}

/** Lint a group as the CLI lints a directory: loader findings included, file names relative to the corpus. */
const notes: string[] = [];

function lintGroup(files: readonly string[]): Finding[] {
  const loaded: Omit<LoadResult, 'errors'> = { manifests: [], findings: [], files: 0, documents: 0, inputs: [] };
  for (const file of files) {
    const result = loadText(fs.readFileSync(path.join(corpus, file), 'utf8'), file);
    loaded.manifests.push(...result.manifests);
    loaded.findings.push(...result.findings);
    loaded.files += result.files;
    loaded.documents += result.documents;
    loaded.inputs.push(file);
  }
  const report = lintLoaded(loaded, { registry });
  notes.push(...(report.summary.notes ?? []));
  return [...report.findings];
}

const ruleIds = new Set(registry.manifestRules.map((rule) => rule.id));

function brief(f: Finding): Expected {
  return { file: f.file, line: f.line, rule: f.rule, severity: f.severity, message: f.message };
}

function byPlace(a: Expected, b: Expected): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule);
}

describe('real-world corpus', { skip: fs.existsSync(corpus) ? false : `no corpus at ${corpus}` }, () => {
  if (!fs.existsSync(corpus)) return;
  const rows = readIndex();
  const findings = new Map<string, Finding[]>();
  for (const [, files] of groups(rows)) {
    for (const finding of lintGroup(files)) {
      findings.set(finding.file, [...(findings.get(finding.file) ?? []), finding]);
    }
  }
  const all = [...findings.values()].flat();

  it('lints every indexed file except the excluded ones', () => {
    assert.deepEqual(
      rows.map((row) => row.file).filter((file) => !fs.existsSync(path.join(corpus, file))),
      [],
      'INDEX.tsv names files that are missing',
    );
    for (const file of Object.keys(EXCLUDED)) assert.ok(rows.some((row) => row.file === file), `${file} not indexed`);
  });

  it('reports exactly the expected findings of the cross-resource rules', () => {
    const actual = all.filter((f) => ruleIds.has(f.rule)).map(brief).sort(byPlace);
    assert.deepEqual(actual, [...RULE_FINDINGS].sort(byPlace));
  });

  it('notes each Service a StatefulSet names but the set does not define', () => {
    const missingServices = notes.filter((note) => note.startsWith('Service "'));
    assert.deepEqual(
      RULE_NOTES.map((prefix) => missingServices.filter((note) => note.startsWith(prefix)).length),
      RULE_NOTES.map(() => 1),
    );
    assert.equal(missingServices.length, RULE_NOTES.length);
  });

  for (const defect of ENGINE_DEFECTS) {
    it(`finds ${defect.rule} "${defect.says}" in ${defect.file}:${defect.line}`, () => {
      const found = (findings.get(defect.file) ?? []).filter(
        (f) => f.rule === defect.rule && f.line === defect.line && f.message.includes(defect.says),
      );
      assert.equal(found.length, 1, `expected one ${defect.rule} finding at ${defect.file}:${defect.line}`);
    });
  }

  it('reports no error in files Kubernetes 1.28 accepts and runs', () => {
    const defective = new Set([
      ...RULE_FINDINGS.filter((f) => f.severity === 'error').map((f) => f.file),
      ...ENGINE_DEFECTS.map((d) => d.file),
    ]);
    const errors = all.filter((f) => f.severity === 'error' && !defective.has(f.file)).map(brief);
    assert.deepEqual(errors, []);
  });
});
