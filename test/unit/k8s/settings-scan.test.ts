/**
 * The shortcuts of findSettings (lib/k8s/systems/config.ts): a text is scanned for a key only when it contains the
 * key's literal start, and findSetting stops at the first place found. Both must find exactly what a full scan finds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadText } from '../../../lib/load/load';
import {
  findSetting,
  findSettings,
  identifySystem,
  literalPrefix,
  podConfig,
  SYSTEM_SETTINGS,
  ZOOKEEPER_SETTINGS,
  KRAFT_VOTERS,
  type SettingSpec,
} from '../../../lib/k8s/systems';

const SPECS: SettingSpec[] = [...Object.values(SYSTEM_SETTINGS), ...Object.values(ZOOKEEPER_SETTINGS), KRAFT_VOTERS];
const KEYS = [...new Set(SPECS.flatMap((spec) => spec.keys ?? []))];

/** Text made of pieces of the keys, separators and noise: near misses of every key are likely. */
const fragments = fc.constantFrom(
  'server', '.', '1', 'initial', '-', 'cluster', 'enabled', 'discovery', '_', 'formation', 'seeds', 'replSetName',
  'controller', 'quorum', 'voters', 'zookeeper', 'connect', 'process', 'roles', 'node', 'master', '=', ': ', ' ',
  '\n', '\t', '- ', 'export ', '"', "'", 'a', 'yes', '#!/bin/sh\n', 'exec ', '--', '4lw', 'commands', 'whitelist',
);
const texts = fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join(''));
/** As `texts`, with whole keys among the pieces, so that settings are found in most of them. */
const wholeKeys = fc.oneof(...KEYS.map((key) => fc.stringMatching(new RegExp(`^(?:${key})$`))));
const textsWithKeys = fc.array(fc.oneof({ arbitrary: fragments, weight: 4 }, { arbitrary: wholeKeys, weight: 1 }), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('literalPrefix', () => {
  it('reads the literal start of a key pattern, and nothing it cannot be sure of', () => {
    assert.equal(literalPrefix('server\\.\\d+'), 'server.');
    assert.equal(literalPrefix('initial-cluster'), 'initial-cluster');
    assert.equal(literalPrefix('cluster_formation\\.[A-Za-z0-9_.]+'), 'cluster_formation.');
    assert.equal(literalPrefix('ab?c'), 'a');
    assert.equal(literalPrefix('ab+c'), 'ab');
    assert.equal(literalPrefix('a|b'), '');
    assert.equal(literalPrefix('(ab)'), '');
  });

  it('every match of every key the systems read contains its literal start', () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (const key of KEYS) {
          for (const match of text.matchAll(new RegExp(key, 'g'))) assert.ok(match[0].includes(literalPrefix(key)), `${key} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 300, seed: 13 },
    );
  });
});

function statefulSetWith(env: string, arg: string, config: string): string {
  return [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata:\n  main.conf: ' + JSON.stringify(config) + '\n',
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  template:\n    spec:\n' +
      '      containers:\n      - name: db\n        image: bitnami/etcd\n' +
      `        env: [{name: ETCD_INITIAL_CLUSTER, value: ${JSON.stringify(env)}}]\n` +
      `        args: [${JSON.stringify(arg)}, ${JSON.stringify(env)}]\n` +
      '      volumes: [{name: c, configMap: {name: conf}}]\n',
  ].join('---\n');
}

describe('findSettings on random configuration', () => {
  it('findSetting is the first of findSettings, for every setting the systems read', () => {
    fc.assert(
      fc.property(textsWithKeys, textsWithKeys, textsWithKeys, (env, arg, config) => {
        const [cm, sts] = loadText(statefulSetWith(env, arg, config), 'set.yaml').manifests;
        const pod = podConfig(sts, (name) => (name === 'conf' ? cm : undefined));
        for (const spec of SPECS) assert.deepEqual(findSetting(pod, spec), findSettings(pod, spec)[0]);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('skipping texts without a key\'s literal start finds what scanning every text finds', () => {
    // A key wrapped in a group has no literal start (literalPrefix gives ''), so every text is scanned for it.
    const scannedEverywhere = (spec: SettingSpec): SettingSpec => ({ ...spec, keys: spec.keys?.map((key) => `(?:${key})`) });
    assert.equal(literalPrefix(scannedEverywhere({ keys: ['server\\.\\d+'] }).keys![0]), '');
    fc.assert(
      fc.property(textsWithKeys, textsWithKeys, textsWithKeys, (env, arg, config) => {
        const [cm, sts] = loadText(statefulSetWith(env, arg, config), 'set.yaml').manifests;
        const pod = podConfig(sts, (name) => (name === 'conf' ? cm : undefined));
        for (const spec of SPECS) assert.deepEqual(findSettings(pod, spec), findSettings(pod, scannedEverywhere(spec)));
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('finds a key in a text only where its literal start is written: each value found, none invented', () => {
    const [cm, sts] = loadText(statefulSetWith('x', '--initial-cluster=a=b', 'server.1=zk-0:2888\ninitial-cluster: c=d\n'), 'set.yaml').manifests;
    const pod = podConfig(sts, () => cm);
    assert.deepEqual(findSettings(pod, { keys: ['server\\.\\d+'] }).map((s) => [s.name, s.value]), [['server.1', 'zk-0:2888']]);
    assert.deepEqual(
      findSettings(pod, SYSTEM_SETTINGS.etcd).map((s) => [s.name, s.value]),
      [['ETCD_INITIAL_CLUSTER', 'x'], ['--initial-cluster', 'a=b'], ['initial-cluster', 'c=d']],
    );
  });

  it('identifySystem with the podConfig the caller already read answers as without it', () => {
    const [cm, sts] = loadText(statefulSetWith('a=http://db-0.db:2380', '--name', ''), 'set.yaml').manifests;
    const lookup = () => cm;
    const shared = podConfig(sts, lookup);
    const identified = identifySystem(sts, lookup, shared);
    assert.equal(identified?.system, 'etcd');
    assert.equal(identified?.config, shared);
    assert.deepEqual(identified, identifySystem(sts, lookup));
  });
});
