/**
 * The README's "What it says" block is what `cdk8s-stateful lint app.yaml` prints for
 * test/fixtures/readme/app.yaml. Regenerate it with: cd test/fixtures/readme && node ../../../build/lib/cli/main.js lint app.yaml
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';

const repoRoot = path.resolve(__dirname, '../../..');
const readme = path.join(repoRoot, 'README.md');
const prompt = '$ npx cdk8s-stateful lint app.yaml';

/** The lines of the console block after the prompt line, up to the closing fence. */
function readmeOutput(text: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(prompt);
  assert.notEqual(start, -1, `README.md has no line "${prompt}"`);
  const end = lines.indexOf('```', start);
  assert.notEqual(end, -1, `README.md: the console block after "${prompt}" is not closed`);
  return lines.slice(start + 1, end).map((line) => `${line}\n`).join('');
}

it('the README "What it says" block is the lint output for test/fixtures/readme/app.yaml', { skip: !existsSync(readme) && 'no README.md (package tarball)' }, () => {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'build/lib/cli/main.js'), 'lint', 'app.yaml'], {
    cwd: path.join(repoRoot, 'test/fixtures/readme'),
    encoding: 'utf8',
    env: { ...process.env, DEBUG: '', NO_COLOR: '1' },
  });
  assert.equal(run.stderr, '');
  assert.equal(run.status, 1);
  assert.equal(readmeOutput(readFileSync(readme, 'utf8')), run.stdout, 'update README.md with the output of: cd test/fixtures/readme && node ../../../build/lib/cli/main.js lint app.yaml');
});
