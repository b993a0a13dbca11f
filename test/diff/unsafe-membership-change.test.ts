/**
 * `diff` between two revisions of an identified cluster: sizes its membership cannot follow are errors, every
 * other size change a warning carrying the runbook of membership commands in their order.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { describe, it } from 'node:test';
import { App, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { EtcdChart } from '../../charts/etcd';
import { diffTexts } from '../../lib/api';

const RULE = 'unsafe-membership-change';

function etcd(replicas: number, extra = ''): string {
  const members = [0, 1, 2].map((i) => `etcd-${i}=http://etcd-${i}.etcd:2380`).join(',');
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: etcd${extra}
spec:
  serviceName: etcd
  replicas: ${replicas}
  selector: {matchLabels: {app: etcd}}
  template:
    metadata: {labels: {app: etcd}}
    spec:
      containers:
        - name: etcd
          image: quay.io/coreos/etcd:v3.5.9
          env: [{name: ETCD_INITIAL_CLUSTER, value: "${members}"}]
`;
}

function system(kind: string, image: string, env: string, replicas: number, annotations = ''): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${kind}${annotations}
spec:
  serviceName: ${kind}
  replicas: ${replicas}
  selector: {matchLabels: {app: ${kind}}}
  template:
    metadata: {labels: {app: ${kind}}}
    spec:
      containers:
        - name: main
          image: ${image}
          env: ${env}
`;
}

function findings(oldText: string, newText: string) {
  return diffTexts(oldText, newText).findings.filter((f) => f.rule === RULE);
}

describe(RULE, () => {
  it('etcd 3 → 4: a warning with the runbook, learner first, promote last (its id looked up, retried)', () => {
    const [finding, ...rest] = findings(etcd(3), etcd(4));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.line, 7);
    assert.ok(finding.message.startsWith(
      'etcd StatefulSet "etcd" changes from 3 to 4 members: Kubernetes only creates or deletes the pod; the ' +
        "cluster's membership must change with it. Runbook: (1) kubectl exec -n default etcd-0 -- etcdctl member add " +
        'etcd-3 --learner --peer-urls=http://etcd-3.etcd.default.svc.cluster.local:2380; (2) apply the new revision ' +
        '(replicas raised by one); etcd-3 starts with initial-cluster-state existing and joins as a learner; (3) ' +
        "kubectl exec -n default etcd-0 -- sh -c 'i=0; while [ \"$i\" -lt 150 ]; do set -- $(etcdctl member list | ",
    ), finding.message);
    assert.match(finding.message, /etcdctl member promote "\$1"; then exit 0; fi; /);
    assert.match(finding.message, /\(retried until the learner has caught up with the leader\)$/);
    assert.doesNotMatch(finding.message, /</, 'no <placeholders>');
  });

  it('etcd 3 → 2: member remove (its id looked up) before the apply', () => {
    const [finding] = findings(etcd(3), etcd(2));
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /Runbook: \(1\) kubectl exec -n default etcd-0 -- sh -c 'set -- \$\(etcdctl member list .*etcdctl member remove "\$1"'; \(2\) apply the new revision \(replicas lowered by one\); \(3\) delete the claims of etcd-2/);
  });

  it('etcd with https peer URLs: the runbook adds the member with https', () => {
    const tls = (n: number) => etcd(n).replace(/http:/g, 'https:');
    const [finding] = findings(tls(3), tls(4));
    assert.match(finding.message, /--peer-urls=https:\/\/etcd-3\.etcd\.default\.svc\.cluster\.local:2380;/);
    assert.match(finding.message, /--endpoints=https:\/\/etcd-3\.etcd\.default\.svc\.cluster\.local:2379 endpoint status/);
  });

  it('more than one member at a time is an error', () => {
    const [finding] = findings(etcd(3), etcd(5));
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /changes from 3 to 5 members: 2 members at once: membership changes one member at a time/);
    assert.match(finding.message, /\(for each member, one revision at a time\)$/);
  });

  it('below the old quorum is an error (bitnami/charts#4614: ZooKeeper scaled 3 → 1 stops serving)', () => {
    const zk = (n: number) => system('zk', 'zookeeper:3.8.3', '[{name: ZOO_SERVERS, value: "server.1=zk-0.zk:2888:3888;2181"}]', n);
    const [finding] = findings(zk(3), zk(1));
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /ZooKeeper StatefulSet "zk" changes from 3 to 1 members: 1 is below the old quorum of 2/);
  });

  it('a standalone does not grow by raising replicas', () => {
    const [finding] = findings(etcd(1), etcd(3));
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /a single member bootstrapped alone does not grow by raising replicas/);
  });

  it('static KRaft controllers cannot change at all', () => {
    const env = '[{name: KAFKA_PROCESS_ROLES, value: controller}, {name: KAFKA_CONTROLLER_QUORUM_VOTERS, value: "0@kc-0.kc:9093"}]';
    const kc = (n: number) => system('kc', 'apache/kafka:3.7.0', env, n);
    const [finding] = findings(kc(3), kc(4));
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /static KRaft controllers \(controller.quorum.voters\) cannot change/);
  });

  it('a Cassandra scale-down needs the data-moved acknowledgement', () => {
    const env = '[{name: CASSANDRA_SEEDS, value: "cassandra-0.cassandra"}]';
    const before = system('cassandra', 'cassandra:4.1', env, 4);
    const unacknowledged = findings(before, system('cassandra', 'cassandra:4.1', env, 3));
    assert.equal(unacknowledged[0].severity, 'error');
    assert.match(unacknowledged[0].message, /set the annotation cdk8s-stateful.io\/data-moved: "true" once it is/);
    assert.match(unacknowledged[0].message, /\(1\) kubectl exec -n default cassandra-3 -- nodetool decommission/);
    const acknowledged = findings(before, system('cassandra', 'cassandra:4.1', env, 3, '\n  annotations: {cdk8s-stateful.io/data-moved: "true"}'));
    assert.equal(acknowledged[0].severity, 'warning');
  });

  it('says nothing about systems it cannot identify, or without a change of size', () => {
    const web = (n: number) => system('web', 'nginx:1.25', '[]', n);
    assert.deepEqual(findings(web(3), web(5)), []);
    assert.deepEqual(findings(etcd(3), etcd(3)), []);
  });

  it("prints the runbook for the project's etcd chart going from 3 to 4 members", () => {
    const chart = (replicas: number) =>
      Testing.synth(new EtcdChart(new App({ outdir: os.tmpdir() }), 'etcd', { replicas, allowEvenMembers: replicas % 2 === 0 })).map((m) => stringify(m)).join('---\n');
    const [finding, ...rest] = findings(chart(3), chart(4));
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /etcdctl member add etcd-3 --learner --peer-urls=http:\/\/etcd-3\.etcd\.etcd\.svc\.cluster\.local:2380/);
  });
});
