/**
 * ZooKeeper "Dynamic Reconfiguration" (3.5+, reconfigEnabled=true): a joiner starts with the current servers plus
 * itself, connects to the leader as a non-voting follower, and `reconfig -add` makes it a member; `reconfig -remove`
 * before the pod goes. reconfig writes /zookeeper/config, so it authenticates as the super user when the pods carry
 * the password. A static ensemble (reconfig off) needs the new list applied and a rolling restart, the leader last
 * (Administrator's Guide).
 */
import { podName } from '../../names';
import type { RunbookStep, RunbookWords, SystemRunbook } from '../runbook';
import {
  ZOOKEEPER_PORTS, ZOOKEEPER_SUPER_PASSWORD_ENV, zookeeperReconfigEnabled, zookeeperServerList, zookeeperServesCommand,
} from '../zookeeper';

export const zookeeperRunbook: SystemRunbook = {
  up: (w) => {
    const server = serverOf(w);
    if (server === undefined) return byHand(w, 'up');
    if (server === 'static') return [{ kind: 'apply', why: `with ${w.pod} in every server's server.N list` }, rollingRestart(w)];
    return [
      { kind: 'apply', why: `${w.pod} starts with the current servers and itself, and joins the leader as a non-voting follower` },
      {
        kind: 'exec',
        pod: w.anchor,
        command: ['bash', '-c', `for i in $(seq 1 90); do ${serves(w.fqdn)} && exit 0; sleep 2; done; echo "${w.pod} does not serve after 180 s" >&2; exit 1`],
        why: `wait until ${w.pod} has synced with the leader`,
      },
      reconfig(w, `-add server.${server.id}=${server.entry}`),
    ];
  },
  down: (w) => {
    const server = serverOf(w);
    if (server === undefined) return byHand(w, 'down');
    if (server === 'static') return [{ kind: 'apply', why: `without ${w.pod} in server.N` }, rollingRestart(w)];
    return [
      reconfig(w, `-remove ${server.id}`),
      { kind: 'apply', why: `${w.pod} is no longer a member: its pod and (whenScaled: Delete) its claims go` },
    ];
  },
};

/**
 * The member's `server.N` entry when reconfig is on, 'static' when it is off and the server list is static, undefined
 * when the configuration does not say (the runbook then says both ways in words).
 */
function serverOf(w: RunbookWords): { id: number; entry: string } | 'static' | undefined {
  const config = w.change.config;
  if (config === undefined) return undefined;
  const list = zookeeperServerList(config);
  if (!zookeeperReconfigEnabled(config)) return list === undefined ? undefined : 'static';
  const server = list?.servers.find((s) => s.host === w.fqdn || s.host.startsWith(`${w.pod}.`));
  return server?.entry === undefined ? undefined : { id: server.id, entry: server.entry };
}

function reconfig(w: RunbookWords, change: string): RunbookStep {
  const entry = w.change.config === undefined ? undefined : zookeeperServerList(w.change.config)?.servers
    .find((s) => s.host === w.anchorFqdn || s.host.startsWith(`${w.anchor}.`))?.entry;
  const port = /:(\d+)$/.exec(entry?.split(';')[1] ?? '')?.[1] ?? String(ZOOKEEPER_PORTS.client);
  const server = `${w.anchorFqdn}:${port}`;
  const authenticated = [...(w.change.config?.envNamesByContainer.values() ?? [])].some((names) => names.has(ZOOKEEPER_SUPER_PASSWORD_ENV));
  if (!authenticated) return { kind: 'exec', pod: w.anchor, command: ['zkCli.sh', '-server', server, 'reconfig', ...change.split(' ')] };
  return {
    kind: 'exec',
    pod: w.anchor,
    command: ['sh', '-c', `printf '%s\\n' "addauth digest super:$${ZOOKEEPER_SUPER_PASSWORD_ENV}" '${`reconfig ${change}`}' | zkCli.sh -server ${server}`],
    why: 'as the super user: reconfig writes /zookeeper/config',
  };
}

function serves(host: string): string {
  return zookeeperServesCommand(host)[2];
}

function rollingRestart(w: RunbookWords): RunbookStep {
  const pods: string[] = [];
  for (let ordinal = w.change.anchorOrdinal; ordinal < w.change.ordinal; ordinal += 1) pods.push(podName(w.change.statefulSet, ordinal));
  return {
    kind: 'manual',
    text: `restart the servers that still run the old list one at a time, the leader (echo srvr shows "Mode: leader") ` +
      `last: for each of ${pods.join(', ')}: kubectl delete pod -n ${w.change.namespace} <pod>, then wait until it is ` +
      'Ready (echo srvr shows "Mode: follower" or "Mode: leader") before the next',
  };
}

function byHand(w: RunbookWords, direction: 'up' | 'down'): RunbookStep[] {
  const ns = w.change.namespace;
  return direction === 'up'
    ? [
      { kind: 'apply', why: `with ${w.pod} in every server's server.N list` },
      {
        kind: 'manual',
        text: 'with reconfigEnabled: ' +
          `kubectl exec -n ${ns} ${w.anchor} -- zkCli.sh -server ${w.anchorFqdn}:2181 reconfig -add "server.<id of ${w.pod}>=${w.fqdn}:2888:3888;2181"; ` +
          'otherwise restart the existing servers one at a time (the leader last), each time waiting until ' +
          'echo srvr shows it as follower or leader',
      },
    ]
    : [
      {
        kind: 'manual',
        text: `with reconfigEnabled: kubectl exec -n ${ns} ${w.anchor} -- zkCli.sh -server ${w.anchorFqdn}:2181 reconfig -remove <id of ${w.pod}>; ` +
          `otherwise apply the new revision (replicas lowered by one) without ${w.pod} in server.N`,
      },
      { kind: 'manual', text: 'restart the remaining servers one at a time (the leader last), waiting for each to rejoin' },
    ];
}
