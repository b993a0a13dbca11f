/**
 * Issue 14's contract on fuzzed input, a few thousand cases per `npm test` (`npm run fuzz` runs 100,000):
 * no uncaught exception, exit codes 0/1/2 only, no hang or runaway memory (watchdog), every finding inside its
 * file with a message in plain words, no control character on the terminal, the same output twice.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { corpusTexts, fuzzCase, random } from './cases';
import { checkCase, judge } from './check';
import { fuzz } from './harness';

const repoRoot = path.resolve(__dirname, '../../..');
const CASES = Number(process.env.FUZZ_CASES ?? 1500);
const SEED = 14;

describe('fuzz', () => {
  it('generates the same case for the same seed and index, and different ones otherwise', () => {
    const corpus = corpusTexts(repoRoot);
    assert.equal(fuzzCase(1, 7, corpus), fuzzCase(1, 7, corpus));
    assert.notEqual(fuzzCase(1, 7, corpus), fuzzCase(1, 8, corpus));
    assert.equal(random(3)(), random(3)());
  });

  it('flags what the contract forbids (the judge can fail)', () => {
    const text = 'a: 1\nbb: 2\n';
    const json = (line: number, column: number, message: string) => ({
      code: 1,
      stdout: JSON.stringify({ findings: [{ message, file: '<stdin>', line, column }] }),
      stderr: '',
    });
    const plain = { code: 1, stdout: 'x\n', stderr: '' };
    const good = json(2, 3, 'fine');
    assert.deepEqual(judge(text, good, good, plain), []);
    assert.match(judge(text, json(2, 7, 'fine'), json(2, 7, 'fine'), plain).join(), /past the end of line 2/);
    assert.match(judge(text, json(4, 1, 'fine'), json(4, 1, 'fine'), plain).join(), /outside the file/);
    assert.match(judge(text, json(1, 1, 'claim undefined/x'), json(1, 1, 'claim undefined/x'), plain).join(), /"undefined"/);
    assert.deepEqual(judge('undefined: 1\n', json(1, 1, 'key undefined'), json(1, 1, 'key undefined'), plain), []);
    assert.match(judge(text, good, json(1, 1, 'fine'), plain).join(), /different output/);
    assert.match(judge(text, { ...good, code: 134 }, { ...good, code: 134 }, plain).join(), /exit code 134/);
    assert.match(judge(text, good, good, { ...plain, stdout: 'key \u001b]0;x\u0007\n' }).join(), /control character/);
    assert.match(judge(text, good, good, { ...plain, stderr: 'cdk8s-stateful: internal error: boom' }).join(), /stderr/);
  });

  it('runs the CLI on a case and finds nothing wrong with a clean manifest', async () => {
    assert.deepEqual(await checkCase('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n'), []);
  });

  it('runs a range of indexes, so a long run can be sharded or resumed (`npm run fuzz -- --from I --cases N`)', async () => {
    const done: number[] = [];
    const result = await fuzz({ seed: SEED, from: 40, cases: 3, corpus: [], onProgress: (next) => done.push(next) });
    assert.deepEqual([done, result.cases], [[41, 42, 43], 3]);
  });

  it(`holds on ${CASES} cases (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const result = await fuzz({ seed: SEED, cases: CASES, corpus: corpusTexts(repoRoot) });
    const shown = result.failures.slice(0, 10).map((f) => `case ${f.index}: ${f.problems.join('; ')}`);
    assert.deepEqual(shown, []);
    assert.equal(result.cases, CASES);
  });
});
