/**
 * Summarises a V8 `.cpuprofile` (written by `node --cpu-prof`): self time per function and per source file,
 * enough to say where a lint run spends its time.
 */
import * as fs from 'fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
}

export interface SelfTime {
  readonly label: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly SelfTime[];
  readonly byFile: readonly SelfTime[];
}

export function summariseProfile(file: string, repoRoot: string, top = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const totalHits = [...hits.values()].reduce((a, b) => a + b, 0) || 1;

  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? node.hitCount ?? 0;
    if (count === 0) continue;
    const where = shortUrl(node.callFrame.url, repoRoot);
    const fn = node.callFrame.functionName || '(anonymous)';
    const label = where ? `${fn}  ${where}:${node.callFrame.lineNumber + 1}` : fn;
    byFunction.set(label, (byFunction.get(label) ?? 0) + count);
    const fileLabel = where || fn; // (garbage collector), (program), (idle) have no url
    byFile.set(fileLabel, (byFile.get(fileLabel) ?? 0) + count);
  }
  const rank = (m: Map<string, number>): SelfTime[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, count]) => ({ label, ms: (count / totalHits) * totalMs, share: count / totalHits }));
  return { totalMs, byFunction: rank(byFunction), byFile: rank(byFile) };
}

function shortUrl(url: string, repoRoot: string): string {
  const plain = url.replace(/^file:\/\//, '');
  if (plain.startsWith(repoRoot)) return plain.slice(repoRoot.length + 1);
  return plain.startsWith('node:') ? plain : plain.replace(/^.*\/node_modules\//, 'node_modules/');
}
