/**
 * Precision on real repositories (issue 8): the public files of test/real-world (INDEX.tsv: repository, path,
 * commit, what each is), byte for byte, linted as a user would lint them:
 *   - each file alone (a pre-commit hook passes the files being committed);
 *   - in the groups each repository's README applies together (APPLY_GROUPS);
 *   - each folder whole (`cdk8s-stateful lint <folder>`: example folders hold alternatives of one object);
 *   - a few groups again with what is known about a cluster (PROFILED).
 * EVERY finding of every run is listed in EXPECTED with a one-line judgement; anything else fails the test. The
 * files are in the repository, so nothing is skipped.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { LintOptions } from '../../lib/api';
import { lintLoaded } from '../../lib/lint/run';
import { loadText, type LoadResult } from '../../lib/load/load';
import type { LintReport } from '../../lib/core/types';
import { registry } from '../../lib/rules';

const root = path.resolve(__dirname, '../../../test/real-world');

interface Row {
  readonly file: string;
  readonly repo: string;
  readonly commit: string;
}

function readIndex(): Row[] {
  const [, ...rows] = fs.readFileSync(path.join(root, 'INDEX.tsv'), 'utf8').trim().split('\n');
  return rows.map((row) => {
    const [file, repo, , commit] = row.split('\t');
    return { file, repo, commit };
  });
}

/** Lint files together as the CLI lints its paths (loader findings included), names relative to test/real-world. */
export function lintTogether(files: readonly string[], options: LintOptions = {}): LintReport {
  const loaded: Omit<LoadResult, 'errors'> = { manifests: [], findings: [], files: 0, documents: 0, inputs: [] };
  for (const file of files) {
    const result = loadText(fs.readFileSync(path.join(root, file), 'utf8'), file);
    loaded.manifests.push(...result.manifests);
    loaded.findings.push(...result.findings);
    loaded.files += result.files;
    loaded.documents += result.documents;
    loaded.inputs.push(file);
  }
  return lintLoaded(loaded, { ...options, registry });
}

const SMB = 'kubernetes-csi__csi-driver-smb/deploy/example';
const AZF = 'kubernetes-sigs__azurefile-csi-driver/deploy/example';
const NFS = 'kubernetes-csi__csi-driver-nfs/deploy/example';
const AZD = 'kubernetes-sigs__azuredisk-csi-driver/deploy/example';
const EBS = 'kubernetes-sigs__aws-ebs-csi-driver/examples/kubernetes/static-provisioning/manifests';
const EFS = 'kubernetes-sigs__aws-efs-csi-driver/examples/kubernetes';
const WEB = 'kubernetes__website/content/en/examples';
const LSP = 'kubernetes-sigs__sig-storage-local-static-provisioner/helm/generated_examples';
const KEX = 'kubernetes__examples/staging/volumes/nfs';
const GAN = 'kubernetes-sigs__nfs-ganesha-server-and-external-provisioner/deploy/kubernetes';
const SUB = 'kubernetes-sigs__nfs-subdir-external-provisioner/deploy';

/** What each repository applies together (its README's kubectl commands), with where that is said. */
const APPLY_GROUPS: Readonly<Record<string, readonly string[]>> = {
  // csi-driver-smb deploy/example/e2e_usage.md: static provisioning, then dynamic provisioning.
  'smb static': [`${SMB}/pv-smb.yaml`, `${SMB}/pvc-smb-static.yaml`],
  'smb dynamic': [`${SMB}/storageclass-smb.yaml`, `${SMB}/deployment.yaml`],
  'smb statefulset': [`${SMB}/storageclass-smb.yaml`, `${SMB}/statefulset.yaml`],
  // azurefile-csi-driver deploy/example/e2e_usage.md.
  'azurefile static': [`${AZF}/pv-azurefile-csi.yaml`, `${AZF}/pvc-azurefile-csi-static.yaml`],
  'azurefile dynamic': [`${AZF}/storageclass-azurefile-csi.yaml`, `${AZF}/deployment.yaml`],
  'azurefile statefulset': [`${AZF}/storageclass-azurefile-csi.yaml`, `${AZF}/statefulset.yaml`],
  // csi-driver-nfs deploy/example/README.md.
  'nfs static': [`${NFS}/pv-nfs-csi.yaml`, `${NFS}/pvc-nfs-csi-static.yaml`],
  'nfs dynamic': [`${NFS}/storageclass-nfs.yaml`, `${NFS}/pvc-nfs-csi-dynamic.yaml`, `${NFS}/nginx-pod-nfs.yaml`],
  'nfs statefulset': [`${NFS}/storageclass-nfs.yaml`, `${NFS}/statefulset.yaml`],
  'nfs deployment': [`${NFS}/storageclass-nfs.yaml`, `${NFS}/deployment.yaml`],
  // azuredisk-csi-driver deploy/example/e2e_usage.md, and the qad/ example.
  'azuredisk static': [`${AZD}/pv-azuredisk-csi.yaml`, `${AZD}/pvc-azuredisk-csi-static.yaml`],
  'azuredisk qad': [`${AZD}/qad/pv.yaml`, `${AZD}/qad/pvc.yaml`, `${AZD}/qad/statefulset.yaml`],
  // aws-ebs-csi-driver examples/kubernetes/static-provisioning/README.md.
  'ebs static': [`${EBS}/pv.yaml`, `${EBS}/claim.yaml`, `${EBS}/pod.yaml`],
  // aws-efs-csi-driver examples/kubernetes/static_provisioning/README.md (specs/: class, PV, claim).
  'efs static': [`${EFS}/static_provisioning/specs/storageclass.yaml`, `${EFS}/static_provisioning/specs/pv.yaml`, `${EFS}/static_provisioning/specs/claim.yaml`],
  // kubernetes.io tasks and tutorials.
  'website pv task': [`${WEB}/pods/storage/pv-volume.yaml`, `${WEB}/pods/storage/pv-claim.yaml`, `${WEB}/pods/storage/pv-pod.yaml`],
  'website mysql statefulset': [`${WEB}/application/mysql/mysql-configmap.yaml`, `${WEB}/application/mysql/mysql-services.yaml`, `${WEB}/application/mysql/mysql-statefulset.yaml`],
  'website mysql single instance': [`${WEB}/application/mysql/mysql-pv.yaml`, `${WEB}/application/mysql/mysql-deployment.yaml`],
  'website wordpress': [`${WEB}/application/wordpress/mysql-deployment.yaml`, `${WEB}/application/wordpress/wordpress-deployment.yaml`],
  // kubernetes/examples staging/volumes/nfs/README.md: the server on a provisioned claim, then the PV, claim and web.
  'examples nfs server': [`${KEX}/provisioner/nfs-server-azure-pv.yaml`, `${KEX}/nfs-server-deployment.yaml`],
  'examples nfs clients': [`${KEX}/nfs-pv.yaml`, `${KEX}/nfs-pvc.yaml`, `${KEX}/nfs-web-deployment.yaml`],
  // nfs-ganesha-server-and-external-provisioner docs/deployment.md: the StatefulSet, then a claim.
  'ganesha statefulset': [`${GAN}/statefulset.yaml`, `${GAN}/claim.yaml`],
  // nfs-subdir-external-provisioner README: kustomization resources, then the test claim and pod.
  'subdir provisioner': [`${SUB}/class.yaml`, `${SUB}/deployment.yaml`],
  'subdir test': [`${SUB}/test-claim.yaml`, `${SUB}/test-pod.yaml`],
};

/** Groups linted again with what is known about the cluster. */
const PROFILED: readonly { readonly name: string; readonly group: string; readonly options: LintOptions }[] = [
  // EKS has a default class (gp2); the claim's storageClassName "" keeps it off the static PV.
  { name: 'default gp2', group: 'ebs static', options: { cluster: { defaultStorageClass: 'gp2' } } },
  // kind/minikube: default class standard; the StatefulSet's claims are provisioned.
  { name: 'default standard', group: 'website mysql statefulset', options: { cluster: { defaultStorageClass: 'standard' } } },
  // A cluster without a default class (kubeadm): the class-less claims of the tutorials can bind only class-less PVs.
  { name: 'no default', group: 'website wordpress', options: { cluster: { defaultStorageClass: null } } },
  // The set declared complete: what the files name but do not define is an error.
  { name: 'complete', group: 'smb static', options: { complete: true } },
  { name: 'complete', group: 'nfs statefulset', options: { complete: true } },
];

type RunKind = 'alone' | 'group' | 'folder' | 'profile';

interface Run {
  readonly kind: RunKind;
  readonly label: string;
  readonly files: readonly string[];
  readonly options?: LintOptions;
}

function runs(rows: readonly Row[]): Run[] {
  const byFolder = new Map<string, string[]>();
  for (const { file } of rows) byFolder.set(path.posix.dirname(file), [...(byFolder.get(path.posix.dirname(file)) ?? []), file]);
  return [
    ...rows.map(({ file }) => ({ kind: 'alone' as const, label: file, files: [file] })),
    ...Object.entries(APPLY_GROUPS).map(([label, files]) => ({ kind: 'group' as const, label, files })),
    ...[...byFolder].map(([label, files]) => ({ kind: 'folder' as const, label, files })),
    ...PROFILED.map(({ name, group, options }) => ({
      kind: 'profile' as const,
      label: `${group} (${name})`,
      files: APPLY_GROUPS[group],
      options,
    })),
  ];
}

/** A finding as judged: where, what, in which kinds of run it appears, and why it is right. */
interface Judged {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly in: readonly RunKind[];
  readonly why: string;
}

function key(f: { file: string; line: number; rule: string; severity: string; message: string }): string {
  return `${f.file}:${f.line} ${f.severity} ${f.rule} ${f.message}`;
}

/** Every finding of every run, with the kinds of run it appears in; and every note, by run. */
export function observe(): { findings: Map<string, { finding: Judged; kinds: Set<RunKind> }>; notes: Map<string, string[]> } {
  const findings = new Map<string, { finding: Judged; kinds: Set<RunKind> }>();
  const notes = new Map<string, string[]>();
  for (const run of runs(readIndex())) {
    const report = lintTogether(run.files, run.options);
    notes.set(`${run.kind}: ${run.label}`, [...(report.summary.notes ?? [])]);
    for (const f of report.findings) {
      const finding = { file: f.file, line: f.line, rule: f.rule, severity: f.severity, message: f.message, in: [], why: '' };
      const entry = findings.get(key(finding)) ?? { finding, kinds: new Set<RunKind>() };
      entry.kinds.add(run.kind);
      findings.set(key(finding), entry);
    }
  }
  return { findings, notes };
}
