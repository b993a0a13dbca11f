import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { buildApp } from '../../charts/main';

/** The repository root, from build/test/e2e/. */
export const repoRoot = path.resolve(__dirname, '../../..');

/** Synthesizes the example app exactly as `cdk8s synth` does, into a fresh directory; returns file name -> YAML. */
export function synthExampleApp(): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-stateful-synth-'));
  try {
    buildApp(outdir).synth();
    const files = new Map<string, string>();
    for (const file of fs.readdirSync(outdir).sort()) {
      files.set(file, fs.readFileSync(path.join(outdir, file), 'utf8'));
    }
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The objects of a multi-document YAML string. */
export function parseObjects(yamlText: string): any[] {
  return parseAllDocuments(yamlText).map((doc) => doc.toJS()).filter((o) => o !== null);
}

/** Runs a docs example (TypeScript importing 'cdk8s-stateful') against this build; returns the synth output dir. */
export function runExample(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-example-'));
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText
    .replace(/require\("cdk8s-stateful"\)/g, `require(${JSON.stringify(path.join(repoRoot, 'build/lib/index.js'))})`);
  fs.writeFileSync(path.join(dir, 'main.js'), js);
  execFileSync(process.execPath, ['main.js'], { cwd: dir, env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') }, stdio: 'pipe' });
  return path.join(dir, 'dist');
}
