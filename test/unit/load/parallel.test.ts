/**
 * Worker threads (lib/load/parallel.ts): a run that parses on two threads reports exactly what a run on the main
 * thread reports, findings and positions included, on a corpus with files the fast pass reads and files it gives
 * to the `yaml` path (planted duplicate keys), plus a file that cannot be read.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lintPaths } from '../../../lib/lint/run';
import { registry } from '../../../lib/rules';
import { loadPaths } from '../../../lib/load/load';
import { workerCount, PARALLEL_MIN_BYTES } from '../../../lib/load/parallel';
import { generateCorpus } from '../../bench/corpus';

describe('parsing on worker threads', () => {
  it('lints a corpus to the same report as a single-threaded run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-'));
    try {
      const corpus = generateCorpus({ dir, documents: 400, files: 40, seed: 3, brokenShare: 0.3 });
      assert.ok([...corpus.defects.keys()].includes('duplicate-key'), 'the corpus has files only the yaml path reads');
      const single = await lintPaths([dir], { registry, jobs: 1 });
      const parallel = await lintPaths([dir], { registry, jobs: 2 });
      assert.ok(single.findings.length > 0);
      assert.deepEqual(parallel, single);

      const loadedSingle = await loadPaths([dir], { jobs: 1 });
      const loadedParallel = await loadPaths([dir], { jobs: 3 });
      assert.deepEqual(loadedParallel.manifests.map((m) => [m.file, m.docIndex, m.object, m.locate(['spec', 'selector'])]),
        loadedSingle.manifests.map((m) => [m.file, m.docIndex, m.object, m.locate(['spec', 'selector'])]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an unreadable file the same way', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-'));
    try {
      generateCorpus({ dir, documents: 60, files: 6, seed: 4, brokenShare: 0 });
      const missing = path.join(dir, 'missing.yaml');
      const single = await loadPaths([dir, missing], { jobs: 1 });
      const parallel = await loadPaths([dir, missing], { jobs: 2 });
      assert.equal(parallel.errors.length, 1);
      assert.deepEqual(parallel.errors, single.errors);
      assert.equal(parallel.documents, single.documents);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts threads only for runs large enough to repay them, unless told how many', () => {
    assert.equal(workerCount(undefined, 1000, PARALLEL_MIN_BYTES - 1, 2), 0);
    // Two cores go to the main thread and V8's own threads; a thread for each core beyond them.
    assert.equal(workerCount(undefined, 1000, PARALLEL_MIN_BYTES, 2), 0);
    assert.equal(workerCount(undefined, 1000, PARALLEL_MIN_BYTES, 3), 1);
    assert.equal(workerCount(undefined, 1000, PARALLEL_MIN_BYTES, 4), 2);
    assert.equal(workerCount(undefined, 1000, PARALLEL_MIN_BYTES, 1), 0);
    assert.equal(workerCount(undefined, 3, PARALLEL_MIN_BYTES, 16), 3);
    // On 2 cores no worker at any size (it shares the core V8's own threads use), unless asked for.
    assert.equal(workerCount(undefined, 1000, PARALLEL_MIN_BYTES * 100, 2), 0);
    assert.equal(workerCount(2, 1000, PARALLEL_MIN_BYTES * 100, 2), 1);
    assert.equal(workerCount(undefined, 1, PARALLEL_MIN_BYTES * 10, 4), 0);
    // --jobs N: N threads in all, the main thread one of them.
    assert.equal(workerCount(1, 1000, PARALLEL_MIN_BYTES * 10, 2), 0);
    assert.equal(workerCount(2, 1000, 10, 2), 1);
    assert.equal(workerCount(4, 2, 10, 2), 2);
  });
});
