/**
 * A worker thread of the loader (see parallel.ts): reads file texts with the fast first pass and sends back the
 * values and the positions it kept, with the result of the caller's per-document check of each document, or
 * `fallback` for a file the main thread must load through the `yaml` path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recordTokens } from './fast-parse';
import { readFast } from './load';
import { loadCheck, parseReply, type ParseReply, type ParseRequest, type WorkerData } from './parallel';

const check = (workerData as WorkerData | undefined)?.check;
const checkDocument = check && loadCheck(check);

parentPort?.on('message', ({ id, text, options }: ParseRequest) => {
  const fast = readFast(text, options);
  let reply: ParseReply;
  if (fast === undefined) reply = { id, fallback: true };
  else {
    const checks = checkDocument && fast.documents.map((doc) => {
      // The check reads the tokens (`3.0`, `yes`) as the main thread would after loading.
      recordTokens(doc);
      return checkDocument(doc.object);
    });
    reply = parseReply(id, fast, checks);
  }
  parentPort!.postMessage(reply);
});
