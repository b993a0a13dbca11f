/**
 * The README's rule table is the output of `cdk8s-stateful rules --format markdown`; this keeps them in sync.
 * Regenerate it with: node build/lib/cli/main.js rules --format markdown
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { markdownTable } from '../../lib/cli/rules-command';
import { ruleCatalogue } from '../../lib/api';

const readme = path.resolve(__dirname, '../../../README.md');
const table = markdownTable(ruleCatalogue());
const header = table.split('\n')[0];
const text = existsSync(readme) ? readFileSync(readme, 'utf8') : undefined;

it('the README rule table is `cdk8s-stateful rules --format markdown`', { skip: text === undefined && 'no README.md (package tarball)' }, () => {
  const lines = text!.split('\n');
  const start = lines.indexOf(header);
  assert.notEqual(start, -1, `README.md has no rule table (a line "${header}"); add the output of: node build/lib/cli/main.js rules --format markdown`);
  let end = start;
  while (end < lines.length && lines[end].startsWith('|')) end++;
  assert.equal(`${lines.slice(start, end).join('\n')}\n`, table, 'regenerate with: node build/lib/cli/main.js rules --format markdown');
});
