/**
 * What a ZooKeeper operator knows, asked by the ZooKeeperEnsemble blueprint, the rules and the runbook alike.
 * Sources: ZooKeeper Administrator's Guide ("Clustered (Multi-Server) Setup", "Configuration Parameters", "The Four
 * Letter Words", "myid": an id in 1..255) and "ZooKeeper Dynamic Reconfiguration" (3.5+: `server.N=host:quorumPort:
 * electionPort[:role];[clientAddress:]clientPort`, reconfigEnabled, standaloneEnabled, dynamicConfigFile; reconfig
 * needs write access to /zookeeper/config: the super user, or skipACL).
 */
import { findSetting, findSettings, isDynamic, type PodConfig, type SettingSpec, type SettingValue } from './config';
import { parseZooKeeperServers, type ZooKeeperServer } from './members';

/** The ports a server listens on: clients, followers to the leader (quorum), leader election. */
export const ZOOKEEPER_PORTS = { client: 2181, quorum: 2888, election: 3888 } as const;

/** A server id (`myid`, `server.N`) must lie in this range. */
export const ZOOKEEPER_ID_RANGE = { min: 1, max: 255 } as const;

/** The four-letter words ZooKeeper answers on its client port (only those in 4lw.commands.whitelist since 3.5.3). */
export const FOUR_LETTER_WORDS = [
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'isro', 'mntr', 'ruok', 'srst', 'srvr', 'stat', 'stmk',
  'wchc', 'wchp', 'wchs',
] as const;

/** Where each setting is read, in the images and config files people use. */
export const ZOOKEEPER_SETTINGS = {
  whitelist: {
    env: ['ZOO_4LW_COMMANDS_WHITELIST'],
    flags: ['-Dzookeeper.4lw.commands.whitelist'],
    keys: ['4lw\\.commands\\.whitelist'],
  },
  /** zoo.cfg `reconfigEnabled=true`; the Bitnami image's ZOO_RECONFIG_ENABLED=yes. */
  reconfigEnabled: { env: ['ZOO_RECONFIG_ENABLED'], keys: ['reconfigEnabled'] },
  servers: { keys: ['server\\.\\d+'] },
} as const satisfies Record<string, SettingSpec>;

/**
 * The env variable that holds the super user's password in a pod: the blueprint sets it from a Secret, and the
 * runbook authenticates `reconfig` with it (`addauth digest super:<password>`) when the pods have it.
 */
export const ZOOKEEPER_SUPER_PASSWORD_ENV = 'ZK_SUPER_PASSWORD';

/** The JVM property holding the super user's digest (`super:<base64 sha1>`) on the server. */
export const ZOOKEEPER_SUPER_DIGEST_PROPERTY = 'zookeeper.DigestAuthenticationProvider.superDigest';

export interface ZooKeeperServerSpec {
  readonly id: number;
  /** Host of the quorum and election ports (a pod FQDN). */
  readonly host: string;
  readonly observer: boolean;
  /** Address the client port binds to; undefined binds every address (0.0.0.0). */
  readonly clientHost?: string;
  readonly ports?: { readonly client?: number; readonly quorum?: number; readonly election?: number };
}

/** `host:2888:3888:participant;clientHost:2181`, the value of a `server.N` line (and of `reconfig -add N=...`). */
export function zookeeperServerEntry(server: ZooKeeperServerSpec): string {
  const ports = { ...ZOOKEEPER_PORTS, ...server.ports };
  const client = server.clientHost === undefined ? `${ports.client}` : `${server.clientHost}:${ports.client}`;
  return `${server.host}:${ports.quorum}:${ports.election}:${server.observer ? 'observer' : 'participant'};${client}`;
}

/** `server.N=...`, one line of zoo.cfg or of the dynamic configuration file. */
export function zookeeperServerLine(server: ZooKeeperServerSpec): string {
  return `server.${server.id}=${zookeeperServerEntry(server)}`;
}

/**
 * A shell command (bash: `/dev/tcp`, no `nc` needed) that sends a four-letter word to a server and succeeds when the
 * answer matches `expect` (a grep pattern). `host` is written into the script as is, so `$POD_IP` is read by bash.
 */
export function fourLetterWordCommand(word: (typeof FOUR_LETTER_WORDS)[number], host: string, port: number, expect: string): string[] {
  return ['bash', '-c', `exec 3<>/dev/tcp/${host}/${port} && echo ${word} >&3 && grep -q '${expect}' <&3`];
}

/** Succeeds while the server serves: `srvr` answers a Mode (leader, follower, observer, standalone) only then. */
export function zookeeperServesCommand(host: string, port: number = ZOOKEEPER_PORTS.client): string[] {
  return fourLetterWordCommand('srvr', host, port, '^Mode: ');
}

/** Succeeds while the process answers at all: `ruok` gets `imok` even without a quorum. */
export function zookeeperAliveCommand(host: string, port: number = ZOOKEEPER_PORTS.client): string[] {
  return fourLetterWordCommand('ruok', host, port, 'imok');
}

export interface ZooKeeperServerList {
  readonly setting: SettingValue;
  readonly servers: ZooKeeperServer[];
}

/**
 * The static `server.N` list of a set's configuration (the lines of the first file or script that has them, else
 * the official image's ZOO_SERVERS); undefined when absent, computed at run time or not fully readable.
 */
export function zookeeperServerList(config: PodConfig): ZooKeeperServerList | undefined {
  const lines = findSettings(config, ZOOKEEPER_SETTINGS.servers);
  const env = findSetting(config, { env: ['ZOO_SERVERS'] });
  const setting = lines[0] ?? env;
  if (setting === undefined) return undefined;
  const text = lines.length > 0
    ? lines.filter((l) => l.source === lines[0].source).map((l) => `${l.name}=${l.value}`).join('\n')
    : setting.value;
  if (isDynamic(text)) return undefined;
  const servers = parseZooKeeperServers(text);
  return servers === undefined ? undefined : { setting, servers };
}

/** Is dynamic reconfiguration (`reconfig`) switched on in this configuration? */
export function zookeeperReconfigEnabled(config: PodConfig): boolean {
  const value = findSetting(config, ZOOKEEPER_SETTINGS.reconfigEnabled)?.value.trim().toLowerCase();
  return value === 'true' || value === 'yes';
}
