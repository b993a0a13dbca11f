/**
 * The worked examples of docs/blueprints/kafka.md and cassandra.md (docs/examples/kafka.ts, cassandra.ts) run as
 * written: each is quoted verbatim in its page, synthesizes, lints clean under every rule, and writes what the page
 * says it writes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lintPaths } from '../../lib/api';
import { parseObjects, repoRoot, runExample } from './synth-helpers';

function example(name: string) {
  const source = fs.readFileSync(path.join(repoRoot, `docs/examples/${name}.ts`), 'utf8');
  const file = path.join(runExample(source), `${name}.k8s.yaml`);
  return { source, file, objects: parseObjects(fs.readFileSync(file, 'utf8')) };
}

const names = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();

for (const name of ['kafka', 'cassandra']) {
  describe(`docs: the ${name} blueprint`, () => {
    const { source, file, objects } = example(name);

    it(`is quoted in docs/blueprints/${name}.md exactly as tested`, () => {
      const docs = fs.readFileSync(path.join(repoRoot, `docs/blueprints/${name}.md`), 'utf8');
      assert.ok(docs.includes(`\`\`\`ts\n${source}\`\`\``), `docs/blueprints/${name}.md must quote docs/examples/${name}.ts verbatim`);
    });

    it('lints clean', async () => {
      const report = await lintPaths([file]);
      assert.deepEqual(report.findings.map((f) => `${f.rule}: ${f.message}`), []);
    });

    it('writes the objects its page lists', () => {
      if (name === 'kafka') {
        assert.deepEqual(names(objects, 'StatefulSet'), ['kafka-broker', 'kafka-controller']);
        assert.deepEqual(names(objects, 'ConfigMap'), ['kafka-config']);
        const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => [o.metadata.name, o.spec.maxUnavailable]);
        assert.deepEqual(budgets, [['kafka-controller', 1], ['kafka-broker', 1]]);
        const broker = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'kafka-broker');
        assert.equal(broker.spec.volumeClaimTemplates[0].spec.resources.requests.storage, '100Gi');
        assert.match(objects.find((o) => o.kind === 'ConfigMap').data['broker.properties'], /^auto\.create\.topics\.enable=false$/m);
      } else {
        assert.deepEqual(names(objects, 'StatefulSet'), ['cassandra-r1', 'cassandra-r2', 'cassandra-r3']);
        const [pdb] = objects.filter((o) => o.kind === 'PodDisruptionBudget');
        assert.deepEqual([pdb.metadata.name, pdb.spec.minAvailable], ['cassandra', 5]);
      }
    });
  });
}
