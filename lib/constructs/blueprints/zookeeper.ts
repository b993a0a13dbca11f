/**
 * A ZooKeeper ensemble on a StatefulApp, as the ZooKeeper Administrator's Guide and its Dynamic Reconfiguration guide
 * describe it (facts asked of lib/k8s/systems/zookeeper.ts): one `server.<id>=<fqdn>:2888:3888:<role>;<fqdn>:2181`
 * line per pod, id = ordinal + idBase, `myid` written from the ordinal by a start-up script and kept on the volume,
 * observers after the voting servers, a four-letter-word whitelist that holds exactly the words the probes send, and
 * optionally dynamic reconfiguration (reconfigEnabled, standaloneEnabled=false, a dynamic configuration file that
 * ZooKeeper itself rewrites on the volume).
 */
import { Size } from 'cdk8s';
import { FsGroupChangePolicy, k8s, Topology } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { podFqdn } from '../../k8s/names';
import {
  ZOOKEEPER_ID_RANGE, ZOOKEEPER_PORTS, ZOOKEEPER_SUPER_DIGEST_PROPERTY, ZOOKEEPER_SUPER_PASSWORD_ENV,
  zookeeperAliveCommand, zookeeperServerLine, zookeeperServesCommand,
} from '../../k8s/systems/zookeeper';
import { ContainerResources, ContainerSecurity, EnvValue, ObjectName, Probe } from '../container';
import { constructError } from '../errors';
import { PodVolume } from '../pod';
import { sizeInBytes } from '../quantity';
import { StatefulApp } from '../stateful-app';
import { AccessMode, ClaimRetention, PodManagementPolicy } from '../types';
import { DisruptionBudget } from '../update-strategy';
import { clusterAnnotation, ClusterMembers, votingArithmetic } from './cluster';

/** Where the ZooKeeper scripts come from: the image's layout decides the PATH. */
export enum ZooKeeperDistribution {
  /** The official `zookeeper` image: zkServer.sh and zkCli.sh are on the image's PATH. */
  OFFICIAL_IMAGE = 'official',
  /**
   * Debian's `zookeeper` package (3.8 in bookworm), in an image that installs it: the scripts live in
   * /usr/share/zookeeper/bin, which the blueprint puts on PATH. Debian's zkEnv.sh ignores ZOO_LOG_DIR and
   * ZK_SERVER_HEAP; SERVER_JVMFLAGS (which both honour) carries the heap.
   */
  DEBIAN = 'debian',
}

/** The Secret of the super user, whom `reconfig` needs (it writes /zookeeper/config). */
export interface ZooKeeperSuperUser {
  /** The Secret (created by you, e.g. by your secret manager). */
  readonly secret: ObjectName;
  /** Key holding the password, for `addauth digest super:<password>` in zkCli.sh. @default 'password' */
  readonly passwordKey?: string;
  /**
   * Key holding the digest `super:<base64 sha1 of "super:<password>">`, for the server's
   * -Dzookeeper.DigestAuthenticationProvider.superDigest (compute it with
   * `java -cp zookeeper.jar org.apache.zookeeper.server.auth.DigestAuthenticationProvider super:<password>`).
   * @default 'digest'
   */
  readonly digestKey?: string;
}

export interface ZooKeeperEnsembleProps {
  /** Name of the StatefulSet (pods `<name>-0`, ...). @default - the construct id */
  readonly name?: string;
  /** @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Name of the headless Service. @default - the name */
  readonly serviceName?: string;
  /** Voting servers (participants): the first ordinals. @default 3 */
  readonly servers?: number;
  /** Observers (non-voting servers that serve reads): the ordinals after the servers. @default 0 */
  readonly observers?: number;
  /** Allow an even number of voting servers (4 tolerate one failure, as 3 do, with a larger quorum). @default false */
  readonly allowEvenServers?: boolean;
  /** Server id of ordinal 0 (id = ordinal + idBase, within 1..255). @default 1 */
  readonly idBase?: number;
  /** @default 'zookeeper:3.8.4' */
  readonly image?: string;
  /** @default ZooKeeperDistribution.OFFICIAL_IMAGE */
  readonly distribution?: ZooKeeperDistribution;
  /**
   * Dynamic reconfiguration (3.5.3+): `reconfig -add/-remove` change the membership live; the start-up script keeps
   * the dynamic configuration file ZooKeeper rewrites on the volume. Needs `superUser`.
   * @default false (a static ensemble: a size change needs a rolling restart)
   */
  readonly reconfigEnabled?: boolean;
  /** The super user (password and digest from a Secret); required with reconfigEnabled. @default - none */
  readonly superUser?: ZooKeeperSuperUser;
  /** Maximum JVM heap of a server, a whole number of MiB. @default Size.mebibytes(512) */
  readonly heap?: Size;
  /** Size of each server's data claim (snapshots, transaction log, myid, configuration). @default Size.gibibytes(10) */
  readonly storage?: Size;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default - none */
  readonly resources?: ContainerResources;
  /**
   * Further zoo.cfg settings (`tickTime`, `autopurge.purgeInterval`, ...); the ones the blueprint owns (server.N,
   * dataDir, dynamicConfigFile, reconfigEnabled, standaloneEnabled, 4lw.commands.whitelist, client and admin
   * addresses) are refused.
   * @default - tickTime=2000, initLimit=10, syncLimit=5, autopurge every 24 hours keeping 3 snapshots
   */
  readonly settings?: Readonly<Record<string, string>>;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
}

const DATA = '/data';
const CONFIG = '/config';
const DEBIAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/share/zookeeper/bin';
const PROBE_WORDS = ['ruok', 'srvr'];
const OWNED_SETTINGS = /^(server\.\d+|dataDir|dataLogDir|dynamicConfigFile|reconfigEnabled|standaloneEnabled|4lw\.commands\.whitelist|clientPort|clientPortAddress|secureClientPort|admin\..*|quorumListenOnAllIPs)$/;
const DEFAULT_SETTINGS: Readonly<Record<string, string>> = {
  tickTime: '2000',
  initLimit: '10',
  syncLimit: '5',
  'autopurge.snapRetainCount': '3',
  'autopurge.purgeInterval': '24',
};

/**
 * A ZooKeeper ensemble: a StatefulSet of `servers` voting members (odd) and `observers`, a headless Service that
 * publishes not-ready addresses, a client Service, a PodDisruptionBudget of one, required anti-affinity per node, and
 * a ConfigMap with zoo.cfg, the server list and the start-up script.
 */
export class ZooKeeperEnsemble extends Construct implements ClusterMembers {
  public readonly app: StatefulApp;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly podFqdns: readonly string[];
  /** Server id of each pod, in ordinal order. */
  public readonly ids: readonly number[];
  /** The `server.N=...` lines every server starts from. */
  public readonly serverLines: readonly string[];
  /** `fqdn:2181,...` for clients. */
  public readonly connectString: string;
  public readonly quorum: number;
  public readonly faultTolerance: number;

  constructor(scope: Construct, id: string, props: ZooKeeperEnsembleProps = {}) {
    super(scope, id);
    const name = props.name ?? id;
    const fail = (problem: string) => constructError('ZooKeeperEnsemble', name, problem);
    const servers = props.servers ?? 3;
    const observers = props.observers ?? 0;
    const idBase = props.idBase ?? 1;
    const reconfig = props.reconfigEnabled ?? false;
    const distribution = props.distribution ?? ZooKeeperDistribution.OFFICIAL_IMAGE;
    validate(props, servers, observers, idBase, reconfig, fail);
    const heapMiB = mebibytes(props.heap ?? Size.mebibytes(512), 'heap', fail);
    const replicas = servers + observers;

    const namespace = props.namespace;
    const serviceName = props.serviceName ?? name;
    const configName = `${name}-config`;
    const fqdnOf = (ordinal: number, ns: string) => podFqdn(name, ordinal, serviceName, ns, props.clusterDomain);

    const superUser = props.superUser;
    const env: Record<string, string | EnvValue> = {
      POD_NAME: EnvValue.fromFieldPath('metadata.name'),
      POD_IP: EnvValue.fromFieldPath('status.podIP'),
      ...(superUser === undefined ? {} : {
        [ZOOKEEPER_SUPER_PASSWORD_ENV]: EnvValue.fromSecretValue({ secret: superUser.secret, key: superUser.passwordKey ?? 'password' }),
        ZK_SUPER_DIGEST: EnvValue.fromSecretValue({ secret: superUser.secret, key: superUser.digestKey ?? 'digest' }),
      }),
      ZK_SERVER_HEAP: String(heapMiB),
      SERVER_JVMFLAGS: `-Xmx${heapMiB}m${superUser === undefined ? '' : ` -D${ZOOKEEPER_SUPER_DIGEST_PROPERTY}=$(ZK_SUPER_DIGEST)`}`,
      ZK_CLIENT_HEAP: '64',
      CLIENT_JVMFLAGS: '-Xmx64m',
      JMXDISABLE: 'true',
      ZOO_LOG_DIR: `${DATA}/logs`,
      ...(distribution === ZooKeeperDistribution.DEBIAN ? { PATH: DEBIAN_PATH } : {}),
    };

    this.app = new StatefulApp(this, 'app', {
      name,
      namespace,
      serviceName,
      replicas,
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      publishNotReadyAddresses: true,
      claimRetention: { whenDeleted: ClaimRetention.RETAIN, whenScaled: ClaimRetention.DELETE },
      disruptionBudget: servers >= 3 ? DisruptionBudget.maxUnavailable(1) : undefined,
      clusterDomain: props.clusterDomain,
      annotations: clusterAnnotation('zookeeper'),
      scheduling: { separate: [{ topology: Topology.HOSTNAME }] },
      securityContext: { fsGroup: 1000, fsGroupChangePolicy: FsGroupChangePolicy.ON_ROOT_MISMATCH },
      clientService: { ports: [{ name: 'client' }] },
      volumes: [PodVolume.fromConfigMap('config', configName), PodVolume.fromEmptyDir('tmp')],
      containers: [{
        name: 'zookeeper',
        image: props.image ?? 'zookeeper:3.8.4',
        command: ['sh', `${CONFIG}/start.sh`],
        ports: [
          { name: 'client', number: ZOOKEEPER_PORTS.client },
          { name: 'quorum', number: ZOOKEEPER_PORTS.quorum },
          { name: 'election', number: ZOOKEEPER_PORTS.election },
        ],
        env,
        // The client port is bound to the pod's own address (its FQDN), so the probes ask that address.
        startup: Probe.exec(zookeeperAliveCommand('$POD_IP'), { periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 }),
        liveness: Probe.exec(zookeeperAliveCommand('$POD_IP'), { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
        readiness: Probe.exec(zookeeperServesCommand('$POD_IP'), { periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 }),
        mounts: [
          { template: 'data', path: DATA },
          { volume: 'config', path: CONFIG, readOnly: true },
          { volume: 'tmp', path: '/tmp' },
        ],
        resources: props.resources,
        security: ContainerSecurity.nonRoot({ user: 1000, group: 1000 }),
      }],
      volumeClaimTemplates: [{
        name: 'data',
        size: props.storage ?? Size.gibibytes(10),
        accessModes: [AccessMode.READ_WRITE_ONCE],
        storageClassName: props.storageClassName,
      }],
    });

    const ns = this.app.namespace;
    this.podFqdns = this.app.podFqdns;
    this.ids = this.app.ordinals.map((ordinal) => ordinal + idBase);
    this.serverLines = this.app.ordinals.map((ordinal, i) => zookeeperServerLine({
      id: ordinal + idBase,
      host: fqdnOf(ordinal, ns),
      observer: i >= servers,
      clientHost: fqdnOf(ordinal, ns),
    }));
    this.connectString = this.podFqdns.map((fqdn) => `${fqdn}:${ZOOKEEPER_PORTS.client}`).join(',');
    ({ quorum: this.quorum, faultTolerance: this.faultTolerance } = votingArithmetic(servers));

    this.configMap = new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: configName, namespace: ns, labels: { ...this.app.podLabels } },
      data: {
        'zoo.cfg': zooCfg(props.settings ?? {}, reconfig),
        'servers.cfg': `${this.serverLines.join('\n')}\n`,
        'start.sh': startScript({ idBase, reconfig, fqdn: `$POD_NAME.${serviceName}.${ns}.svc.${this.app.clusterDomain}` }),
      },
    });
  }

  /** `<fqdn>:2888:3888` of every pod, as the server lines spell the quorum and election addresses. */
  public peers(): string[] {
    return this.podFqdns.map((fqdn) => `${fqdn}:${ZOOKEEPER_PORTS.quorum}:${ZOOKEEPER_PORTS.election}`);
  }
}

function validate(
  props: ZooKeeperEnsembleProps, servers: number, observers: number, idBase: number, reconfig: boolean,
  fail: (problem: string) => Error,
): void {
  if (!Number.isInteger(servers) || servers < 1) throw fail(`servers is ${servers}; set a whole number >= 1 (3 or 5 for a quorum that survives failures)`);
  if (!Number.isInteger(observers) || observers < 0) throw fail(`observers is ${observers}; set a whole number >= 0`);
  if (servers % 2 === 0 && !props.allowEvenServers) {
    const { quorum, faultTolerance } = votingArithmetic(servers);
    throw fail(
      `servers is ${servers}, an even number: ${servers} servers need a quorum of ${quorum} and survive ` +
      `${faultTolerance} lost ${faultTolerance === 1 ? 'server' : 'servers'}, no more than ${servers - 1} do; use ` +
      `${servers - 1} or ${servers + 1} voting servers (add observers for read capacity), or set allowEvenServers`,
    );
  }
  const lastId = idBase + servers + observers - 1;
  if (!Number.isInteger(idBase) || idBase < ZOOKEEPER_ID_RANGE.min || lastId > ZOOKEEPER_ID_RANGE.max) {
    throw fail(
      `server ids run from idBase ${idBase} to ${lastId}, but a ZooKeeper server id (myid) must lie in ` +
      `${ZOOKEEPER_ID_RANGE.min}..${ZOOKEEPER_ID_RANGE.max}; set idBase between ${ZOOKEEPER_ID_RANGE.min} and ` +
      `${ZOOKEEPER_ID_RANGE.max - servers - observers + 1}`,
    );
  }
  if (reconfig && props.superUser === undefined) {
    throw fail(
      'reconfigEnabled needs superUser: reconfig writes /zookeeper/config, which only the super user may write ' +
      '(ZooKeeper Dynamic Reconfiguration, "Security"); give a Secret with the password and its digest',
    );
  }
  for (const key of Object.keys(props.settings ?? {})) {
    if (OWNED_SETTINGS.test(key)) {
      throw fail(`settings sets ${key}, which the blueprint writes itself (server list, data directory, addresses, reconfiguration, four-letter words); remove it`);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw fail(`settings key "${key}" is not a zoo.cfg key (letters, digits, '.', '_', '-')`);
  }
  for (const [key, value] of Object.entries(props.settings ?? {})) {
    if (/[\n\r]/.test(value)) throw fail(`settings ${key} holds a line break; give one line per setting`);
  }
}

function mebibytes(size: Size, field: string, fail: (problem: string) => Error): number {
  const bytes = sizeInBytes(size);
  const mib = bytes === undefined || bytes % 1048576n !== 0n ? NaN : Number(bytes / 1048576n);
  if (!Number.isInteger(mib) || mib < 1) throw fail(`${field} is ${size.asString()}; give a whole number of MiB >= 1, e.g. Size.mebibytes(512)`);
  return mib;
}

/** The static configuration, the same for every pod: the addresses come from each pod's own server line. */
function zooCfg(settings: Readonly<Record<string, string>>, reconfig: boolean): string {
  const lines = {
    ...DEFAULT_SETTINGS,
    ...settings,
    dataDir: `${DATA}/zookeeper`,
    // The probes' words, and only those.
    '4lw.commands.whitelist': PROBE_WORDS.join(','),
    // The AdminServer (Jetty, port 8080) would bind every address of the pod; nothing here uses it.
    'admin.enableServer': 'false',
    // Quorum and election ports bind to the address of the server's own line (its FQDN), not to every address.
    quorumListenOnAllIPs: 'false',
    ...(reconfig ? { reconfigEnabled: 'true', standaloneEnabled: 'false' } : {}),
  };
  return Object.entries(lines).map(([key, value]) => `${key}=${value}\n`).join('');
}

/**
 * Run by `sh` in every pod: myid from the ordinal (kept on the volume, and checked against it), then zoo.cfg on the
 * volume from the ConfigMap. With reconfig, ZooKeeper rewrites the dynamic file and the static file's
 * dynamicConfigFile line itself: the script keeps that file, and starts from the listed servers only on the first
 * start, or when the kept file does not list this server (a joiner restarted before `reconfig -add`).
 */
function startScript(o: { idBase: number; reconfig: boolean; fqdn: string }): string {
  const servers = o.reconfig
    ? `dynamic="$(sed -n 's/^dynamicConfigFile=//p' "$conf/zoo.cfg" 2>/dev/null || true)"
if [ -z "$dynamic" ] || [ ! -f "$dynamic" ] || ! grep -q "^server\\.$id=" "$dynamic"; then
  dynamic="$conf/zoo.cfg.dynamic"
  cp ${CONFIG}/servers.cfg "$dynamic"
fi
{ cat ${CONFIG}/zoo.cfg; echo "dynamicConfigFile=$dynamic"; } > "$conf/zoo.cfg"
`
    : `cat ${CONFIG}/zoo.cfg ${CONFIG}/servers.cfg > "$conf/zoo.cfg"
`;
  return `#!/bin/sh
# ZooKeeperEnsemble start-up: myid from the pod's ordinal, configuration on the data volume.
set -eu
ordinal="\${POD_NAME##*-}"
id=$((ordinal + ${o.idBase}))
conf=${DATA}/conf
mkdir -p "$conf" ${DATA}/zookeeper ${DATA}/logs
if [ -f ${DATA}/zookeeper/myid ]; then
  kept="$(cat ${DATA}/zookeeper/myid)"
  if [ "$kept" != "$id" ]; then
    echo "myid on the volume is $kept, but $POD_NAME is server $id: the volume belongs to another server" >&2
    exit 1
  fi
else
  echo "$id" > ${DATA}/zookeeper/myid
fi
# The server binds its ports to the addresses of its own FQDN: wait until the headless Service publishes it.
fqdn="${o.fqdn}"
tries=0
until getent hosts "$fqdn" > /dev/null || [ "$tries" -ge 60 ]; do tries=$((tries + 1)); sleep 2; done
${servers}exec zkServer.sh start-foreground "$conf/zoo.cfg"
`;
}
