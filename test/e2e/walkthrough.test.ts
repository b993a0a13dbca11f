/**
 * Issue 9's walkthrough, as the README writes it: synthesize myapp with 3 replicas, scale to 4 (pv004 appears), roll a
 * canary with partition 2 and a new image, and `diff` between the steps. The README's commands run as written, with
 * the real cdk8s-cli, in a directory laid out like this repository after `npm ci`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseMyAppArgs } from '../../charts/settings';
import { parseObjects, repoRoot } from './synth-helpers';

/** The walkthrough's commands: the sh block after the README's walkthrough heading, comments stripped. */
function walkthroughCommands(): string[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Walkthrough'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has no walkthrough block');
  return block[1].split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

describe('README walkthrough: scale up and canary, with diff between the steps', { timeout: 300_000 }, () => {
  // A directory inside the checkout (git-ignored), so that npx finds this project as in its root; it holds the
  // cdk8s.yaml and a link to build/, and receives rev1..rev3.
  const dir = fs.mkdtempSync(path.join(repoRoot, '.walkthrough-'));
  fs.symlinkSync(path.join(repoRoot, 'build'), path.join(dir, 'build'), 'dir');
  fs.copyFileSync(path.join(repoRoot, 'cdk8s.yaml'), path.join(dir, 'cdk8s.yaml'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const outputs = walkthroughCommands().map((command) => {
    const result = spawnSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, `${command} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    return { command, stdout: result.stdout };
  });
  const myapp = (rev: string) => parseObjects(fs.readFileSync(path.join(dir, rev, 'myapp.k8s.yaml'), 'utf8'));
  const pvs = (rev: string) => myapp(rev).filter((o) => o.kind === 'PersistentVolume').map((o) => `${o.metadata.name}->${o.spec.claimRef.name}`);
  const sts = (rev: string) => myapp(rev).find((o) => o.kind === 'StatefulSet');
  const diffs = outputs.filter((o) => o.command.includes('cdk8s-stateful diff'));

  it('runs three synths and two diffs', () => {
    assert.equal(outputs.filter((o) => o.command.includes('cdk8s synth')).length, 3);
    assert.equal(diffs.length, 2);
  });

  it('rev1 has 3 replicas and pv001..pv003; rev2 scales to 4 and pv004 appears, pre-bound to myappdata-myapp-3', () => {
    assert.equal(sts('rev1').spec.replicas, 3);
    assert.deepEqual(pvs('rev1'), ['pv001->myappdata-myapp-0', 'pv002->myappdata-myapp-1', 'pv003->myappdata-myapp-2']);
    assert.equal(sts('rev2').spec.replicas, 4);
    assert.deepEqual(pvs('rev2').slice(3), ['pv004->myappdata-myapp-3']);
    assert.match(diffs[0].stdout, /note: added PersistentVolume pv004 \(rev2\/myapp\.k8s\.yaml:\d+\)/);
    assert.match(diffs[0].stdout, /✔ no problems in \d+ objects in 2 revisions: 1 added, 0 removed, 1 changed, \d+ unchanged/);
  });

  it('rev3 is a canary: partition 2 and the new image; the diff shows one changed object and no problem', () => {
    const canary = sts('rev3');
    assert.deepEqual(canary.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
    assert.equal(canary.spec.template.spec.containers[0].image, 'ikubernetes/myapp:v2');
    assert.deepEqual(pvs('rev3'), pvs('rev2'));
    const summary = diffs[1].stdout.trim().split('\n').pop();
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    assert.ok(readme.includes(`prints \`${summary}\``), `the README quotes the second diff's summary; it prints: ${summary}`);
  });
});

describe('the example app\'s command line', () => {
  it('reads --replicas, --partition and --image, with or without =', () => {
    assert.deepEqual(parseMyAppArgs(['--replicas', '4', '--partition=2', '--image', 'ikubernetes/myapp:v2']), { replicas: 4, partition: 2, image: 'ikubernetes/myapp:v2' });
    assert.deepEqual(parseMyAppArgs([]), {});
  });

  it('refuses unknown arguments and bad values with the usage', () => {
    assert.throws(() => parseMyAppArgs(['--replica', '4']), /^Error: unknown argument "--replica"\nusage: /);
    assert.throws(() => parseMyAppArgs(['--replicas', '-1']), /--replicas "-1" is not a whole number >= 0/);
    assert.throws(() => parseMyAppArgs(['--image']), /--image needs a value/);
  });

  it('exits 2 with the message, not a stack trace', () => {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'build/charts/main.js'), '--replicas', 'four'], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^--replicas "four" is not a whole number >= 0\nusage: /);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
