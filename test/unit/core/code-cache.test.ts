/**
 * Modules run from code the CLI holds (lib/core/code-cache.ts: the bundle's modules and the cached validators) load
 * as `require` loads a file: registered before they run, run once, and forgotten when they throw.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheFileOf, recordScripts, requireWithCodeCache, runModule, wrapCommonJs, wrappedCodeOf, type CommonJsFunction } from '../../../lib/core/code-cache';

const dir = mkdtempSync(path.join(tmpdir(), 'code-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('runModule', () => {
  it('registers the module before it runs (a cycle gets its exports so far) and runs it once', () => {
    const filename = path.join(dir, 'cycle.js');
    let runs = 0;
    let seenFromCycle: unknown;
    const code: CommonJsFunction = (exports, _require, module) => {
      runs += 1;
      (exports as Record<string, unknown>).early = true;
      seenFromCycle = runModule(filename, code, createRequire);
      module.exports = { late: true };
    };
    assert.deepEqual(runModule(filename, code, createRequire), { late: true });
    assert.deepEqual(seenFromCycle, { early: true });
    assert.deepEqual(runModule(filename, code, createRequire), { late: true });
    assert.equal(runs, 1);
    assert.equal(require.cache[filename]?.loaded, true);
    delete require.cache[filename];
  });

  it('forgets a module that throws, so the next load runs it again', () => {
    const filename = path.join(dir, 'throws.js');
    let runs = 0;
    const code: CommonJsFunction = () => {
      runs += 1;
      throw new Error(`run ${runs}`);
    };
    assert.throws(() => runModule(filename, code, createRequire), /run 1/);
    assert.equal(require.cache[filename], undefined);
    assert.throws(() => runModule(filename, code, createRequire), /run 2/);
  });
});

describe('requireWithCodeCache', () => {
  it('loads a file with its own __dirname and require, and ignores a cache V8 rejects', () => {
    const filename = path.join(dir, 'mod.js');
    writeFileSync(path.join(dir, 'helper.js'), 'module.exports = 41;\n');
    writeFileSync(filename, 'module.exports = { dir: __dirname, answer: require("./helper") + 1 };\n');
    writeFileSync(cacheFileOf(filename), 'not a V8 code cache');
    assert.deepEqual(requireWithCodeCache(filename), { dir, answer: 42 });
    assert.equal(require(filename), requireWithCodeCache(filename), 'require gets the same module');
  });

  it('takes a cache V8 accepts (the code and the cache share one read buffer)', () => {
    const filename = path.join(dir, 'cached.js');
    // A comment makes the code long (a cache holds no comment), so the cache fits in the buffer the code was read into.
    writeFileSync(filename, `/* ${'y'.repeat(20_000)} */\nmodule.exports = { sum: [1, 2, 3].reduce((a, b) => a + b) };\n`);
    // Made in another process: here V8 would find the script it compiled in memory and never read the cache.
    const make = `require('fs').writeFileSync(process.argv[2], new (require('vm').Script)(process.argv[1]).createCachedData())`;
    const made = spawnSync(process.execPath, ['-e', make, wrappedCodeOf(filename), cacheFileOf(filename)], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    assert.ok(statSync(cacheFileOf(filename)).size < wrappedCodeOf(filename).length, 'the cache fits in the read buffer');
    const scripts = recordScripts();
    assert.deepEqual(requireWithCodeCache(filename), { sum: 6 });
    assert.equal(scripts.get(filename)?.cachedDataRejected, false, 'V8 took the cache');
    delete require.cache[filename];
  });
});

describe('wrappedCodeOf', () => {
  it('is the file as UTF-8, wrapped: for ASCII (read as Latin-1), for other UTF-8 text, and for an empty file', () => {
    const texts = { ascii: 'module.exports = "plain";\n', utf8: 'module.exports = "déjà vu → ✓ 𝄞";\n', empty: '' };
    for (const [name, text] of Object.entries(texts)) {
      const filename = path.join(dir, `${name}.js`);
      writeFileSync(filename, text);
      assert.equal(wrappedCodeOf(filename), wrapCommonJs(text), name);
    }
    const big = path.join(dir, 'big.js');
    writeFileSync(big, `module.exports = ${JSON.stringify('x'.repeat(300_000))};\n// ok\n`);
    assert.equal(wrappedCodeOf(big), wrapCommonJs(readFileSync(big, 'utf8')));
    assert.equal((requireWithCodeCache(big) as string).length, 300_000);
    delete require.cache[big];
  });
});
