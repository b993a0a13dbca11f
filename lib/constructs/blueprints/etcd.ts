/**
 * An etcd cluster on a StatefulApp, with what an etcd operator knows written in for one revision: member names are
 * pod names, the bootstrap list is built from the pods' stable DNS names, only bootstrap members with an empty
 * write-ahead log start a new cluster, pods start in parallel and find each other before they are Ready, a budget
 * keeps the quorum through a drain, one member per node, and claims of scaled-away members go with them. Changes of
 * size between revisions are guarded by `cdk8s-stateful diff` (unsafe-membership-change), which prints the runbook.
 */
import { Size } from 'cdk8s';
import { Cpu, k8s, Topology } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ETCD_PORTS, etcdHasLearners, etcdHealth, ETCD_LEARNER_SINCE, parseEtcdVersion, type EtcdVersion } from '../../k8s/systems/etcd';
import { ContainerResources, ContainerSecurity, EnvValue, nameOf, ObjectName, Probe } from '../container';
import { constructError } from '../errors';
import type { NfsPoolOptions } from '../nfs-volume-pool';
import { PodScheduling, PodVolume } from '../pod';
import { StatefulApp } from '../stateful-app';
import { AccessMode, ClaimRetention, PodManagementPolicy } from '../types';
import { DisruptionBudget } from '../update-strategy';
import { clusterAnnotation, votingArithmetic, type ClusterMembers } from './cluster';

/** A claim template of the cluster (data or write-ahead log). */
export interface EtcdClaim {
  /** @default 8Gi for data, 2Gi for the write-ahead log */
  readonly size?: Size;
  /** @default - the cluster's default class (`''` with `nfs`) */
  readonly storageClassName?: string;
  /** @default [AccessMode.READ_WRITE_ONCE] */
  readonly accessModes?: readonly AccessMode[];
  /** One pre-bound NFS PersistentVolume per member (see `VolumeClaimTemplate.nfs`). @default - none */
  readonly nfs?: NfsPoolOptions;
}

/**
 * TLS from Secrets holding `tls.crt`, `tls.key` and `ca.crt` (the layout cert-manager writes). Members then require
 * client and peer certificates signed by that CA. Probes use the plain-HTTP metrics listener, which the kubelet can
 * reach without a client certificate.
 */
export interface EtcdTls {
  /** Certificates for member-to-member traffic; the certificate must be valid for every pod FQDN (`*.<service>.<namespace>.svc.<domain>`) for server and client auth. */
  readonly peerSecret: ObjectName;
  /** The server certificate for clients, valid for every pod FQDN; etcdctl in the pods presents it too, so give it client auth as well. */
  readonly clientSecret: ObjectName;
}

export interface EtcdClusterProps {
  /** StatefulSet, Service and member name prefix. @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /**
   * Voting members. An odd number: an even one tolerates no more failures than one member fewer.
   * @default 3
   */
  readonly members?: number;
  /** Accept an even number of members (e.g. the step from 3 to 5 through 4). @default false */
  readonly allowEvenMembers?: boolean;
  /**
   * Members that form the cluster at its first install (initial-cluster-state new). Keep it when `members`
   * changes later: a pod beyond them joins the running cluster after `etcdctl member add`.
   * @default - members
   */
  readonly bootstrapMembers?: number;
  /**
   * The etcd release the image runs (3.4.0 or later: learners). From 3.5.11 the probes use `/livez` and `/readyz`;
   * before, readiness uses `/health` and liveness a TCP check of the client port.
   * @default '3.5.16'
   */
  readonly version?: string;
  /**
   * An image with etcd and etcdctl on the PATH and a POSIX `/bin/sh` (the start-up script and the runbook use shell
   * built-ins only). The official gcr.io/etcd-development and quay.io/coreos images have no shell.
   * @default `registry.k8s.io/etcd:<version>-0`
   */
  readonly image?: string;
  /** @default - plain HTTP between members and for clients */
  readonly tls?: EtcdTls;
  /** @default { size: 8Gi } */
  readonly data?: EtcdClaim;
  /** @default { size: 2Gi } */
  readonly wal?: EtcdClaim;
  /** @default - requests of 250m CPU and 512Mi memory */
  readonly resources?: ContainerResources;
  /** Further scheduling; required anti-affinity per node is always added. @default - none */
  readonly scheduling?: PodScheduling;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** @default { app: <name> } */
  readonly podLabels?: Readonly<Record<string, string>>;
}

/** UID and GID of the nonroot user of the distroless-based registry.k8s.io/etcd images. */
const NONROOT = 65532;
const DATA_DIR = '/var/lib/etcd';
const WAL_DIR = '/var/lib/etcd-wal';
const SCRIPT_DIR = '/scripts';

export class EtcdCluster extends Construct implements ClusterMembers {
  public readonly app: StatefulApp;
  /** The ConfigMap holding the start-up script. */
  public readonly scripts: k8s.KubeConfigMap;
  public readonly name: string;
  public readonly members: number;
  public readonly bootstrapMembers: number;
  public readonly podFqdns: readonly string[];
  public readonly quorum: number;
  public readonly faultTolerance: number;
  /** `initial-cluster` of the bootstrap members: `etcd-0=http://etcd-0.etcd.<ns>.svc.cluster.local:2380,...`. */
  public readonly initialCluster: string;
  /** Client URLs of every member, for `--endpoints`. */
  public readonly clientEndpoints: readonly string[];

  constructor(scope: Construct, id: string, props: EtcdClusterProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    const fail = (problem: string) => constructError('EtcdCluster', this.name, problem);
    this.members = props.members ?? 3;
    this.bootstrapMembers = props.bootstrapMembers ?? this.members;
    const versionText = props.version ?? '3.5.16';
    const version = checkProps(props, this.members, this.bootstrapMembers, versionText, fail);
    const health = etcdHealth(version);
    const scheme = props.tls === undefined ? 'http' : 'https';
    this.quorum = votingArithmetic(this.members).quorum;
    this.faultTolerance = votingArithmetic(this.members).faultTolerance;

    const scriptsName = `${this.name}-scripts`;
    const tlsVolumes = props.tls === undefined ? [] : [
      PodVolume.fromSecret('peer-tls', props.tls.peerSecret),
      PodVolume.fromSecret('client-tls', props.tls.clientSecret),
    ];
    this.app = new StatefulApp(this, 'app', {
      name: this.name,
      namespace: props.namespace,
      replicas: this.members,
      podLabels: props.podLabels,
      clusterDomain: props.clusterDomain,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      publishNotReadyAddresses: true,
      // A removed member must never come back on its old data: scaling down deletes its claims.
      claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
      // 1 or 2 members survive no loss: any budget would either block every drain or break the quorum.
      disruptionBudget: this.members >= 3 ? DisruptionBudget.maxUnavailable(1) : undefined,
      annotations: clusterAnnotation('etcd'),
      securityContext: { fsGroup: NONROOT },
      scheduling: { ...props.scheduling, separate: [...(props.scheduling?.separate ?? []), { topology: Topology.HOSTNAME }] },
      volumes: [PodVolume.fromConfigMap('scripts', scriptsName, { defaultMode: 0o555 }), ...tlsVolumes],
      containers: [{
        name: 'etcd',
        image: props.image ?? `registry.k8s.io/etcd:${versionText}-0`,
        command: ['/bin/sh', `${SCRIPT_DIR}/start.sh`],
        ports: [
          { name: 'client', number: ETCD_PORTS.client },
          { name: 'peer', number: ETCD_PORTS.peer },
          { name: 'metrics', number: ETCD_PORTS.metrics },
        ],
        resources: props.resources ?? { cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(512) } },
        readiness: Probe.httpGet(health.readinessPath, 'metrics', { periodSeconds: 5, timeoutSeconds: 5 }),
        liveness: health.livenessPath === undefined
          ? Probe.tcpSocket('client', { periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 8 })
          : Probe.httpGet(health.livenessPath, 'metrics', { periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 8 }),
        // A member replaying a long write-ahead log gets 4 minutes before liveness may restart it.
        startup: health.livenessPath === undefined
          ? Probe.tcpSocket('client', { periodSeconds: 10, failureThreshold: 24 })
          : Probe.httpGet(health.livenessPath, 'metrics', { periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 24 }),
        mounts: [
          { template: 'data', path: DATA_DIR },
          { template: 'wal', path: WAL_DIR },
          { volume: 'scripts', path: SCRIPT_DIR, readOnly: true },
          ...(props.tls === undefined ? [] : [
            { volume: 'peer-tls', path: '/etc/etcd/tls/peer', readOnly: true },
            { volume: 'client-tls', path: '/etc/etcd/tls/client', readOnly: true },
          ]),
        ],
        security: ContainerSecurity.nonRoot({ user: NONROOT, group: NONROOT }),
      }],
      volumeClaimTemplates: [
        claimTemplate('data', props.data, Size.gibibytes(8)),
        claimTemplate('wal', props.wal, Size.gibibytes(2)),
      ],
    });

    const app = this.app;
    this.podFqdns = app.podFqdns;
    const domain = `${app.serviceName}.${app.namespace}.svc.${app.clusterDomain}`;
    this.initialCluster = app.podNames
      .slice(0, Math.min(this.bootstrapMembers, this.members))
      .map((pod, i) => `${pod}=${scheme}://${app.podFqdns[i]}:${ETCD_PORTS.peer}`)
      .join(',');
    this.clientEndpoints = app.podFqdns.map((fqdn) => `${scheme}://${fqdn}:${ETCD_PORTS.client}`);
    const own = `$(ETCD_NAME).${domain}`;
    const env: Array<[string, string | EnvValue]> = [
      ['POD_IP', EnvValue.fromFieldPath('status.podIP')],
      ['ETCD_NAME', EnvValue.fromFieldPath('metadata.name')],
      ['ETCD_DATA_DIR', `${DATA_DIR}/data`],
      // A subdirectory: the start-up script reads "no write-ahead log yet" from it, and a fresh volume may hold lost+found.
      ['ETCD_WAL_DIR', `${WAL_DIR}/wal`],
      ['ETCD_INITIAL_CLUSTER', this.initialCluster],
      ['ETCD_INITIAL_CLUSTER_TOKEN', `${this.name}-${app.namespace}`],
      ['BOOTSTRAP_MEMBERS', String(this.bootstrapMembers)],
      ['ETCD_INITIAL_ADVERTISE_PEER_URLS', `${scheme}://${own}:${ETCD_PORTS.peer}`],
      ['ETCD_ADVERTISE_CLIENT_URLS', `${scheme}://${own}:${ETCD_PORTS.client}`],
      // The pod IP, not 0.0.0.0: nothing else in the pod's network namespace competes for the ports.
      ['ETCD_LISTEN_PEER_URLS', `${scheme}://$(POD_IP):${ETCD_PORTS.peer}`],
      ['ETCD_LISTEN_CLIENT_URLS', `${scheme}://$(POD_IP):${ETCD_PORTS.client}`],
      ['ETCD_LISTEN_METRICS_URLS', `http://$(POD_IP):${ETCD_PORTS.metrics}`],
      // etcdctl in the pod (`kubectl exec ... etcdctl`, the runbook) talks to this member.
      ['ETCDCTL_ENDPOINTS', `${scheme}://${own}:${ETCD_PORTS.client}`],
      ...(props.tls === undefined ? [] : tlsEnv()),
    ];
    for (const [name, value] of env) app.addEnv(name, value);

    this.scripts = new k8s.KubeConfigMap(this, 'scripts', {
      metadata: { name: scriptsName, namespace: app.namespace, labels: { ...app.podLabels } },
      data: { 'start.sh': START_SCRIPT },
    });
  }

  /** `<fqdn>:2380` of every member, in ordinal order. */
  public peers(): string[] {
    return this.app.peers('peer');
  }
}

function checkProps(props: EtcdClusterProps, members: number, bootstrap: number, versionText: string, fail: (p: string) => Error): EtcdVersion {
  if (!Number.isInteger(members) || members < 1) {
    throw fail(`members is ${members}; set a whole number >= 1 (3 or 5 for a cluster that survives a lost member)`);
  }
  const even = (n: number) => n % 2 === 0;
  for (const [field, n] of [['members', members], ['bootstrapMembers', bootstrap]] as const) {
    if (field === 'bootstrapMembers' && (!Number.isInteger(n) || n < 1)) {
      throw fail(`bootstrapMembers is ${n}; set the whole number of members (>= 1) the cluster was first installed with`);
    }
    if (even(n) && props.allowEvenMembers !== true) {
      throw fail(`${field} is ${n}: ${n} members need a quorum of ${votingArithmetic(n).quorum} and survive ` +
        `${votingArithmetic(n).faultTolerance} lost, no more than ${n - 1} members do; use ${n - 1} or ${n + 1}, or set ` +
        'allowEvenMembers: true for a step between two odd sizes');
    }
  }
  const version = parseEtcdVersion(versionText);
  if (version === undefined) throw fail(`version "${versionText}" is not a release number such as "3.5.16"`);
  if (!etcdHasLearners(version)) {
    throw fail(`version ${versionText} predates learners (etcd ${ETCD_LEARNER_SINCE}), which the membership runbook uses; run etcd 3.4 or later`);
  }
  if (props.tls !== undefined && (nameOf(props.tls.peerSecret) === '' || nameOf(props.tls.clientSecret) === '')) {
    throw fail('tls needs both peerSecret and clientSecret (Secrets with tls.crt, tls.key and ca.crt)');
  }
  return version;
}

function claimTemplate(name: string, claim: EtcdClaim | undefined, size: Size) {
  return {
    name,
    size: claim?.size ?? size,
    storageClassName: claim?.storageClassName,
    accessModes: claim?.accessModes,
    nfs: claim?.nfs,
  };
}

function tlsEnv(): Array<[string, string]> {
  const peer = '/etc/etcd/tls/peer';
  const client = '/etc/etcd/tls/client';
  return [
    ['ETCD_PEER_CERT_FILE', `${peer}/tls.crt`],
    ['ETCD_PEER_KEY_FILE', `${peer}/tls.key`],
    ['ETCD_PEER_TRUSTED_CA_FILE', `${peer}/ca.crt`],
    ['ETCD_PEER_CLIENT_CERT_AUTH', 'true'],
    ['ETCD_CERT_FILE', `${client}/tls.crt`],
    ['ETCD_KEY_FILE', `${client}/tls.key`],
    ['ETCD_TRUSTED_CA_FILE', `${client}/ca.crt`],
    ['ETCD_CLIENT_CERT_AUTH', 'true'],
    ['ETCDCTL_CACERT', `${client}/ca.crt`],
    ['ETCDCTL_CERT', `${client}/tls.crt`],
    ['ETCDCTL_KEY', `${client}/tls.key`],
  ];
}

/**
 * Start-up of one member (the pod's name is its member name). A bootstrap member (ordinal below BOOTSTRAP_MEMBERS)
 * without a write-ahead log forms the cluster with the static list; every other pod starts with state existing. A
 * pod beyond the bootstrap members joins after `etcdctl member add` with the members 0..its ordinal, which is the
 * list member add returns when members come and go one at a time at the highest ordinal. A member with a log
 * ignores both settings. Shell built-ins only: the registry.k8s.io/etcd image has no coreutils.
 */
const START_SCRIPT = `#!/bin/sh
# Starts etcd member $ETCD_NAME; see the EtcdCluster docs (cdk8s-stateful).
set -e
ordinal=\${ETCD_NAME##*-}
set -- "$ETCD_WAL_DIR"/*
if [ "$ordinal" -lt "$BOOTSTRAP_MEMBERS" ] && [ ! -e "$1" ]; then
  export ETCD_INITIAL_CLUSTER_STATE=new
else
  export ETCD_INITIAL_CLUSTER_STATE=existing
fi
if [ "$ordinal" -ge "$BOOTSTRAP_MEMBERS" ]; then
  set_name=\${ETCD_NAME%-*}
  scheme=\${ETCD_INITIAL_ADVERTISE_PEER_URLS%%://*}
  suffix=\${ETCD_INITIAL_ADVERTISE_PEER_URLS#*://"$ETCD_NAME"}
  members=
  i=0
  while [ "$i" -le "$ordinal" ]; do
    members="\${members:+$members,}$set_name-$i=$scheme://$set_name-$i$suffix"
    i=$((i + 1))
  done
  export ETCD_INITIAL_CLUSTER="$members"
fi
exec etcd
`;
