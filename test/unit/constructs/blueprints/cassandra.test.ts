/**
 * CassandraDatacenter: the synthesized YAML (snapshot), zero findings under every rule, broken variants caught by
 * the matching rule, construction-time refusals, and the generated environment checked against the formats
 * Cassandra defines: applied to the stock cassandra.yaml and cassandra-rackdc.properties (fixtures) the way the
 * official image's docker-entrypoint.sh documents it, then parsed. Cassandra is not a Debian package: no real server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { CassandraDatacenter, type CassandraDatacenterProps } from '../../../../lib/constructs';
import { CASSANDRA_IMAGE_ENV, expandKubeletVars, findPeerNames } from '../../../../lib/k8s/systems';
import { assertSnapshot, copyOf, envOf, findingsOf, objectOf, parseProperties, repoRoot, synthChart } from './fixture-synth';

const BASE: CassandraDatacenterProps = {
  clusterName: 'Orders',
  datacenter: 'eu-west',
  racks: [
    { name: 'r1', replicas: 2, zone: 'eu-west-1a' },
    { name: 'r2', replicas: 2, zone: 'eu-west-1b' },
    { name: 'r3', replicas: 2, zone: 'eu-west-1c' },
  ],
};
const RACKS = ['cassandra-r1', 'cassandra-r2', 'cassandra-r3'];

function synth(props: Partial<CassandraDatacenterProps> = {}) {
  let dc!: CassandraDatacenter;
  const out = synthChart('orders', (chart: Chart) => { dc = new CassandraDatacenter(chart, 'cassandra', { ...BASE, ...props }); });
  return { ...out, dc };
}

function refusal(props: Partial<CassandraDatacenterProps>): string {
  try {
    synth(props);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected a refusal');
}

describe('CassandraDatacenter', () => {
  const { yaml, objects, dc } = synth();
  const sets = RACKS.map((name) => objectOf(objects, 'StatefulSet', name));

  it('synthesizes the committed snapshot', () => {
    assertSnapshot('cassandra.k8s.yaml', yaml);
  });

  it('lints clean under every rule', () => {
    assert.deepEqual(findingsOf(objects), []);
  });

  it('runs one OrderedReady StatefulSet per rack, pinned to its zone, with GossipingPropertyFileSnitch and its dc and rack', () => {
    sets.forEach((sts, i) => {
      assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
      assert.equal(sts.metadata.annotations['cdk8s-stateful.io/cluster'], 'cassandra');
      const terms = sts.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
      assert.deepEqual(terms, [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [BASE.racks[i].zone] }] }]);
      assert.equal(envOf(sts, CASSANDRA_IMAGE_ENV.endpoint_snitch), 'GossipingPropertyFileSnitch');
      assert.equal(envOf(sts, CASSANDRA_IMAGE_ENV.dc), 'eu-west');
      assert.equal(envOf(sts, CASSANDRA_IMAGE_ENV.rack), BASE.racks[i].name);
    });
  });

  it('gives every node the same seeds: the first node of each rack, never all nodes', () => {
    const expected = RACKS.map((r) => `${r}-0.${r}.orders.svc.cluster.local`).join(',');
    for (const sts of sets) assert.equal(envOf(sts, CASSANDRA_IMAGE_ENV.seeds), expected);
    assert.deepEqual(dc.seeds, expected.split(','));
    const two = synth({ seedsPerRack: 2, racks: [{ name: 'r1', replicas: 3 }, { name: 'r2', replicas: 3 }] });
    assert.deepEqual(two.dc.seeds.map((s) => s.split('.')[0]), ['cassandra-r1-0', 'cassandra-r1-1', 'cassandra-r2-0', 'cassandra-r2-1']);
  });

  it("appends another datacenter's seeds after its own, the same list in every rack", () => {
    const other = 'cassandra-us-r1-0.cassandra-us-r1.orders-us.svc.cluster.local';
    const { objects: withOther, dc: both } = synth({ additionalSeeds: [other] });
    assert.deepEqual(both.seeds, [...dc.seeds, other]);
    for (const name of RACKS) assert.equal(envOf(objectOf(withOther, 'StatefulSet', name), CASSANDRA_IMAGE_ENV.seeds), both.seeds.join(','));
    assert.match(refusal({ additionalSeeds: ['a b'] }), /additionalSeeds entry "a b" is not a host or host:port/);
  });

  it('drains before stopping, with at least 120 s, and lets one node of the datacenter go at a time', () => {
    for (const sts of sets) {
      const pod = sts.spec.template.spec;
      assert.deepEqual(pod.containers[0].lifecycle.preStop.exec.command, ['nodetool', 'drain']);
      assert.ok(pod.terminationGracePeriodSeconds >= 120);
    }
    const pdb = objectOf(objects, 'PodDisruptionBudget', 'cassandra');
    assert.equal(pdb.spec.minAvailable, 5);
    assert.deepEqual(pdb.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'cassandra', 'app.kubernetes.io/instance': 'cassandra' });
  });

  it('exposes its nodes rack by rack, and LOCAL_QUORUM arithmetic over the replication factor', () => {
    assert.equal(dc.podFqdns.length, 6);
    assert.equal(dc.podFqdns[2], 'cassandra-r2-0.cassandra-r2.orders.svc.cluster.local');
    assert.equal(dc.peers()[5], 'cassandra-r3-1.cassandra-r3.orders.svc.cluster.local:7000');
    assert.deepEqual([dc.replicationFactor, dc.quorum, dc.faultTolerance], [3, 2, 1]);
  });

  describe('broken variants are caught by the matching rule', () => {
    const rulesOf = (broken: unknown[]) => findingsOf(broken).map((f) => f.split(':')[0]);
    const env = (broken: any[], sts: string, name: string) =>
      objectOf(broken, 'StatefulSet', sts).spec.template.spec.containers[0].env.find((e: any) => e.name === name);

    it('one rack with another seed list: membership-list', () => {
      const broken = copyOf(objects);
      env(broken, 'cassandra-r2', CASSANDRA_IMAGE_ENV.seeds).value = 'cassandra-r2-0.cassandra-r2.orders.svc.cluster.local';
      const rules = rulesOf(broken);
      assert.ok(rules.length >= 1 && rules.every((r) => r === 'membership-list error'), rules.join(', '));
    });

    it('every node of a rack a seed: membership-list', () => {
      const broken = copyOf(objects);
      const all = [0, 1].map((i) => `cassandra-r1-${i}.cassandra-r1.orders.svc.cluster.local`).join(',');
      for (const sts of RACKS) env(broken, sts, CASSANDRA_IMAGE_ENV.seeds).value = all;
      assert.deepEqual(rulesOf(broken), ['membership-list warning']);
    });

    it('Parallel pod management: pod-management-policy', () => {
      const broken = copyOf(objects);
      objectOf(broken, 'StatefulSet', 'cassandra-r3').spec.podManagementPolicy = 'Parallel';
      assert.deepEqual(rulesOf(broken), ['pod-management-policy warning']);
    });

    it('decommission in preStop: stateful-shutdown', () => {
      const broken = copyOf(objects);
      objectOf(broken, 'StatefulSet', 'cassandra-r1').spec.template.spec.containers[0].lifecycle.preStop.exec.command = ['nodetool', 'decommission'];
      assert.deepEqual(rulesOf(broken), ['stateful-shutdown warning']);
    });

    it('a seed of a rack that has no such node: peer-dns', () => {
      const broken = copyOf(objects);
      const seeds = dc.seeds.map((s) => s.replace('cassandra-r3-0', 'cassandra-r3-2')).join(',');
      for (const sts of RACKS) env(broken, sts, CASSANDRA_IMAGE_ENV.seeds).value = seeds;
      assert.ok(rulesOf(broken).includes('peer-dns error'), rulesOf(broken).join(', '));
    });
  });

  describe('refuses at construction what cannot work', () => {
    it('a grace period under 120 s', () => {
      assert.match(refusal({ terminationGracePeriodSeconds: 60 }), /CassandraDatacenter "cassandra": terminationGracePeriodSeconds is 60: .*set at least 120/);
    });

    it('every node a seed', () => {
      assert.match(
        refusal({ racks: [{ name: 'r1', replicas: 1 }, { name: 'r2', replicas: 1 }, { name: 'r3', replicas: 1 }] }),
        /every one of the 3 nodes would be a seed \(1 per rack, racks of 1, 1, 1\)/,
      );
      assert.match(refusal({ seedsPerRack: 2 }), /every one of the 6 nodes would be a seed \(2 per rack, racks of 2, 2, 2\)/);
    });

    it('no racks, a rack twice, a rack that is not a DNS label, an empty rack', () => {
      assert.match(refusal({ racks: [] }), /has no racks/);
      assert.match(refusal({ racks: [{ name: 'r1', replicas: 2 }, { name: 'r1', replicas: 2 }] }), /rack "r1" is given twice/);
      assert.match(refusal({ racks: [{ name: 'Rack_1', replicas: 2 }] }), /rack name "Rack_1" must be a DNS-1123 label/);
      assert.match(refusal({ racks: [{ name: 'r1', replicas: 0 }, { name: 'r2', replicas: 2 }] }), /rack "r1" has 0 replicas/);
    });

    it('a replication factor above the node count, and names the image cannot write', () => {
      assert.match(refusal({ replicationFactor: 7 }), /replicationFactor is 7, but the datacenter runs 6 nodes: .*set 1 to 6/);
      assert.match(refusal({ datacenter: 'eu west' }), /datacenter "eu west" must be letters, digits/);
      assert.match(refusal({ clusterName: 'a/b' }), /clusterName "a\/b" must be letters, digits, spaces/);
    });
  });
});

const FIXTURES = path.join(repoRoot, 'test/fixtures/systems/cassandra');
const ENTRYPOINT_KEYS = ['broadcast_address', 'broadcast_rpc_address', 'cluster_name', 'endpoint_snitch', 'listen_address', 'num_tokens', 'rpc_address', 'start_rpc'];

/**
 * What the official image's docker-entrypoint.sh documents doing with the environment (docker-library/cassandra):
 * CASSANDRA_SEEDS replaces the value of `- seeds:` (quoted); each CASSANDRA_<KEY> that is set replaces the line
 * `<key>:` or `# <key>:`; broadcast_rpc_address defaults to the broadcast address, which defaults to the listen
 * address; CASSANDRA_DC and CASSANDRA_RACK replace `dc=` and `rack=` of cassandra-rackdc.properties.
 */
function applyImageEnv(env: Map<string, string>, yamlText: string, rackdc: string): { yaml: string; rackdc: string } {
  const vars = new Map(env);
  if (!vars.get('CASSANDRA_BROADCAST_ADDRESS')) vars.set('CASSANDRA_BROADCAST_ADDRESS', vars.get('CASSANDRA_LISTEN_ADDRESS') ?? '');
  if (!vars.get('CASSANDRA_BROADCAST_RPC_ADDRESS')) vars.set('CASSANDRA_BROADCAST_RPC_ADDRESS', vars.get('CASSANDRA_BROADCAST_ADDRESS') ?? '');
  let yaml = yamlText.replace(/(- seeds:).*/, `$1 "${vars.get('CASSANDRA_SEEDS') ?? ''}"`);
  for (const key of ENTRYPOINT_KEYS) {
    const value = vars.get(`CASSANDRA_${key.toUpperCase()}`);
    if (value) yaml = yaml.replace(new RegExp(`^(# )?(${key}:).*`, 'm'), `$2 ${value}`);
  }
  let properties = rackdc;
  for (const key of ['dc', 'rack']) {
    const value = vars.get(`CASSANDRA_${key.toUpperCase()}`);
    if (value) properties = properties.replace(new RegExp(`^(${key}=).*`, 'm'), `$1 ${value}`);
  }
  return { yaml, rackdc: properties };
}

/** A pod's environment as the kubelet builds it: literals with $(VAR) expanded, status.podIP its address. */
function podEnv(statefulSet: any, podIp: string): Map<string, string> {
  const env = new Map<string, { text: string }>();
  for (const e of statefulSet.spec.template.spec.containers[0].env) {
    const value = e.value !== undefined ? expandKubeletVars(e.value, env) : e.valueFrom?.fieldRef?.fieldPath === 'status.podIP' ? podIp : undefined;
    assert.ok(value !== undefined, `env ${e.name} has no value the test can give`);
    env.set(e.name, { text: value });
  }
  return new Map([...env].map(([name, v]) => [name, v.text]));
}

describe('CassandraDatacenter environment against the stock cassandra.yaml and the official image (fixtures)', () => {
  const { objects, dc } = synth({ clusterName: 'Orders Cluster' });
  const stockYaml = fs.readFileSync(path.join(FIXTURES, 'cassandra.yaml'), 'utf8');
  const stockRackdc = fs.readFileSync(path.join(FIXTURES, 'cassandra-rackdc.properties'), 'utf8');

  it('sets only variables the image documents (and the pod IP they are built from)', () => {
    const documented = new Set<string>(Object.values(CASSANDRA_IMAGE_ENV));
    for (const name of RACKS) {
      for (const e of objectOf(objects, 'StatefulSet', name).spec.template.spec.containers[0].env) {
        assert.ok(documented.has(e.name) || e.name === 'POD_IP', `${e.name} is not a variable of the official image`);
      }
    }
  });

  RACKS.forEach((name, rackIndex) => {
    it(`writes a cassandra.yaml and cassandra-rackdc.properties Cassandra reads, for rack ${name}`, () => {
      const sts = objectOf(objects, 'StatefulSet', name);
      const podIp = `127.0.${rackIndex + 1}.11`;
      const written = applyImageEnv(podEnv(sts, podIp), stockYaml, stockRackdc);
      const config = parse(written.yaml);
      assert.equal(config.cluster_name, 'Orders Cluster');
      assert.equal(config.endpoint_snitch, 'GossipingPropertyFileSnitch');
      assert.equal(config.listen_address, podIp);
      assert.equal(config.broadcast_address, podIp);
      assert.equal(config.rpc_address, podIp);
      assert.equal(config.broadcast_rpc_address, podIp);
      assert.equal(config.auto_bootstrap, undefined, 'auto_bootstrap must stay on (never false)');
      const [provider] = config.seed_provider;
      assert.equal(provider.class_name, 'org.apache.cassandra.locator.SimpleSeedProvider');
      // SimpleSeedProvider: a comma-delimited list of addresses (host or host:port).
      const seeds: string[] = provider.parameters[0].seeds.split(',').map((s: string) => s.trim());
      assert.deepEqual(seeds, dc.seeds);
      for (const seed of seeds) {
        const [peer] = findPeerNames(seed, RACKS);
        assert.ok(peer !== undefined && peer.ordinal === 0 && peer.text === seed, `${seed} is not the first pod of a rack`);
      }
      const rackdc = parseProperties(written.rackdc);
      assert.equal(rackdc.get('dc')?.trim(), 'eu-west');
      assert.equal(rackdc.get('rack')?.trim(), BASE.racks[rackIndex].name);
    });
  });
});
