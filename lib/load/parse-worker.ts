/**
 * A worker thread of the loader (see parallel.ts): reads file texts with the fast first pass and sends back the
 * values and the positions it kept, or `fallback` for a file the main thread must load through the `yaml` path.
 */
import { parentPort } from 'node:worker_threads';
import { readFast } from './load';
import type { ParseReply, ParseRequest } from './parallel';

parentPort?.on('message', ({ id, text, options }: ParseRequest) => {
  const fast = readFast(text, options);
  const reply: ParseReply = fast === undefined ? { id, fallback: true } : { id, fast };
  parentPort!.postMessage(reply);
});
