/**
 * A MongoDB replica set (MongoDB manual: "Replica Set Members", "rs.initiate()", "Deploy a Self-Managed Replica Set
 * with Keyfile Authentication", "Localhost Exception") on one StatefulSet: every pod a `mongod --replSet` member that
 * other members and clients reach by its pod FQDN, internal authentication by a key file from a Secret, and an
 * initiation script mounted in every pod that runs `rs.initiate()` once. Not run against a real server here (MongoDB
 * is not in Debian): the generated configuration is tested against the manual's formats.
 */
import { Size } from 'cdk8s';
import { k8s, Topology } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  MONGODB_LIVENESS_COMMAND, MONGODB_MAX_MEMBERS, MONGODB_MAX_VOTING_MEMBERS, MONGODB_PORT, MONGODB_READINESS_COMMAND,
  mongoInitiateScript, type MongoMember,
} from '../../k8s/systems/mongodb';
import { ContainerResources, ContainerSecurity, Probe, SecretValue, nameOf } from '../container';
import { constructError } from '../errors';
import { PodScheduling, PodVolume } from '../pod';
import { StatefulApp } from '../stateful-app';
import { ClaimRetention, PodManagementPolicy } from '../types';
import { DisruptionBudget } from '../update-strategy';
import { ClusterMembers, clusterAnnotation, votingArithmetic } from './cluster';

const KEYFILE_DIR = '/etc/mongo-keyfile';
const SECRET_DIR = '/etc/mongo-secret';
const INIT_DIR = '/etc/mongo-init';
const DATA_DIR = '/data/db';
/** The user of the official image. */
const MONGODB_UID = 999;

export interface MongoReplicaSetProps {
  /** StatefulSet, headless Service and PDB name. @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Replica set name (`--replSet`, the `_id` of its configuration). @default - the name */
  readonly replSet?: string;
  /** Members (pods), at most 50. @default 3 */
  readonly members?: number;
  /**
   * Voting members: the first `voters` ordinals vote, the others have `votes: 0, priority: 0`. An odd number of at
   * most 7.
   * @default - `members`
   */
  readonly voters?: number;
  /**
   * The key file members authenticate each other with (`--keyFile`): 6 to 1024 base64 characters, e.g.
   * `openssl rand -base64 756`. An init container copies it with mode 0400, which mongod requires.
   */
  readonly keyFile: SecretValue;
  /** An image with `mongod` and `mongosh` (MongoDB 5.0+ images). @default 'mongo:7.0' */
  readonly image?: string;
  /** @default Size.gibibytes(10) */
  readonly storage?: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default - none */
  readonly resources?: ContainerResources;
  /** @default - required anti-affinity: one member per node */
  readonly scheduling?: PodScheduling;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}

/** A MongoDB replica set: a StatefulApp whose pods are the members of one replica set. */
export class MongoReplicaSet extends Construct implements ClusterMembers {
  public readonly app: StatefulApp;
  public readonly replSet: string;
  public readonly members: number;
  public readonly voters: number;
  public readonly podFqdns: readonly string[];
  /** Voting members that must be up to elect a primary. */
  public readonly quorum: number;
  /** Voting members the set may lose and keep a primary. */
  public readonly faultTolerance: number;
  /** The mongosh script the pods mount at /etc/mongo-init/initiate.js; idempotent. */
  public readonly initiateScript: string;
  /** Run once in the first pod (`kubectl exec <name>-0 -- ...`), through the localhost exception. */
  public readonly initiateCommand: readonly string[];

  constructor(scope: Construct, id: string, props: MongoReplicaSetProps) {
    super(scope, id);
    const name = props.name ?? id;
    const fail = (problem: string) => constructError('MongoReplicaSet', name, problem);
    this.replSet = props.replSet ?? name;
    this.members = props.members ?? 3;
    this.voters = props.voters ?? this.members;
    checkMembers(this.members, this.voters, fail);
    if (!/^[A-Za-z0-9_-]+$/.test(this.replSet)) {
      throw fail(`replSet "${this.replSet}" may hold only letters, digits, '_' and '-' (it is written into mongosh and the --replSet flag)`);
    }
    const image = props.image ?? 'mongo:7.0';
    const keyFileSecret = nameOf(props.keyFile.secret);
    const configName = `${name}-init`;

    this.app = new StatefulApp(this, 'App', {
      name,
      namespace: props.namespace,
      replicas: this.members,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      publishNotReadyAddresses: true,
      disruptionBudget: this.voters >= 3 ? DisruptionBudget.maxUnavailable(1) : undefined,
      claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
      scheduling: props.scheduling ?? { separate: [{ topology: Topology.HOSTNAME }] },
      clusterDomain: props.clusterDomain,
      annotations: clusterAnnotation('mongodb'),
      securityContext: { fsGroup: MONGODB_UID },
      automountServiceAccountToken: false,
      volumes: [
        PodVolume.fromSecret('keyfile-secret', keyFileSecret, { items: { [props.keyFile.key]: { path: 'keyfile' } } }),
        PodVolume.fromEmptyDir('keyfile'),
        PodVolume.fromConfigMap('init', configName),
      ],
      initContainers: [{
        name: 'keyfile',
        image,
        // mongod refuses a key file that group or others may read; a Secret volume under fsGroup is group-readable.
        command: ['sh', '-c', `cp ${SECRET_DIR}/keyfile ${KEYFILE_DIR}/keyfile && chmod 0400 ${KEYFILE_DIR}/keyfile`],
        mounts: [{ volume: 'keyfile-secret', path: SECRET_DIR, readOnly: true }, { volume: 'keyfile', path: KEYFILE_DIR }],
        security: ContainerSecurity.nonRoot({ user: MONGODB_UID, group: MONGODB_UID }),
      }],
      containers: [{
        name: 'mongod',
        image,
        command: ['mongod'],
        args: [
          '--replSet', this.replSet, '--bind_ip_all', '--port', String(MONGODB_PORT), '--dbpath', DATA_DIR,
          '--keyFile', `${KEYFILE_DIR}/keyfile`,
        ],
        ports: [{ name: 'mongodb', number: MONGODB_PORT }],
        readiness: Probe.exec(MONGODB_READINESS_COMMAND, { periodSeconds: 10, timeoutSeconds: 5 }),
        liveness: Probe.exec(MONGODB_LIVENESS_COMMAND, { initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
        resources: props.resources,
        mounts: [
          { template: 'data', path: DATA_DIR },
          { volume: 'keyfile', path: KEYFILE_DIR, readOnly: true },
          { volume: 'init', path: INIT_DIR, readOnly: true },
        ],
        // mongosh (the probes, the initiation) writes its history and logs under $HOME.
        security: ContainerSecurity.nonRoot({ user: MONGODB_UID, group: MONGODB_UID, readOnlyRootFilesystem: false }),
      }],
      volumeClaimTemplates: [{ name: 'data', size: props.storage ?? Size.gibibytes(10), storageClassName: props.storageClassName }],
    });
    this.podFqdns = this.app.podFqdns;
    const voting = votingArithmetic(this.voters);
    this.quorum = voting.quorum;
    this.faultTolerance = voting.faultTolerance;
    const members: MongoMember[] = this.podFqdns.map((host, i) => ({ host, votes: i < this.voters ? 1 : 0 }));
    this.initiateScript = mongoInitiateScript(this.replSet, members);
    new k8s.KubeConfigMap(this, 'Init', {
      metadata: { name: configName, namespace: this.app.namespace },
      data: { 'initiate.js': this.initiateScript },
    });
    this.initiateCommand = ['mongosh', '--quiet', `${INIT_DIR}/initiate.js`];
  }

  /** `<fqdn>:27017` of every member, in ordinal order: the hosts of the replica set configuration. */
  public peers(): string[] {
    return this.app.peers('mongodb');
  }
}

function checkMembers(members: number, voters: number, fail: (problem: string) => Error): void {
  if (!Number.isInteger(members) || members < 1 || members > MONGODB_MAX_MEMBERS) {
    throw fail(`members is ${members}; a replica set has 1 to ${MONGODB_MAX_MEMBERS} members`);
  }
  if (!Number.isInteger(voters) || voters < 1 || voters > members) {
    throw fail(`voters is ${voters}; set a whole number from 1 to members (${members})`);
  }
  if (voters > MONGODB_MAX_VOTING_MEMBERS) {
    throw fail(
      `${voters} voting members; a replica set has at most ${MONGODB_MAX_VOTING_MEMBERS} (rs.initiate refuses more): ` +
      `set voters: ${MONGODB_MAX_VOTING_MEMBERS} and the other ${members - MONGODB_MAX_VOTING_MEMBERS} members do not vote`,
    );
  }
  if (voters % 2 === 0) {
    throw fail(
      `${voters} voting members: an even number of votes tolerates no more lost members than ${voters - 1} ` +
      `(majority ${Math.floor(voters / 2) + 1}) and can split evenly; set voters: ${voters - 1}` +
      `${voters + 1 <= Math.min(members, MONGODB_MAX_VOTING_MEMBERS) ? ` or ${voters + 1}` : ''} (the others do not vote)`,
    );
  }
}
