/**
 * Build step: compiles the settings schema (lib/core/settings.ts) into
 *   build/lib/lint/generated/settings-validator.js  a precompiled ajv validator (standalone CommonJS)
 * so that reading settings compiles nothing at run time, like the Kubernetes validators of gen-schemas (the bundle
 * step, scripts/code-cache.ts, writes its code cache).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { cacheFileOf } from '../lib/core/code-cache';
import { SETTINGS_SCHEMA } from '../lib/core/settings';

const outDir = path.resolve(__dirname, '../lib/lint/generated');

function main(): void {
  const ajv = new Ajv({ code: { source: true, optimize: true }, strict: true });
  const code = standaloneCode(ajv, ajv.compile(SETTINGS_SCHEMA));
  const file = path.join(outDir, 'settings-validator.js');
  fs.mkdirSync(outDir, { recursive: true });
  fs.rmSync(cacheFileOf(file), { force: true }); // a code cache never outlives its file (lib/core/code-cache.ts)
  fs.writeFileSync(file, code);
  console.log(`gen-settings: settings-validator.js ${Object.keys(SETTINGS_SCHEMA.properties).length} keys`);
}

if (require.main === module) main();
