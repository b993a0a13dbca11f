/**
 * Fuzz cases: seeded, so case N of seed S is always the same text. Mutations of real manifests (the shared
 * corpus, when present) and of generated StatefulSets, Services, PVs and PVCs, with the tokens that broke the
 * loader before: tags, aliases, merge keys, special floats, prototype-named keys, control characters, templates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** mulberry32: small, fast, and the same sequence everywhere. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const between = (rng: Rng, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));

/** Real manifests: `../shared/corpus/real` next to the repository, or FUZZ_CORPUS. */
export function corpusTexts(repoRoot: string): string[] {
  const root = process.env.FUZZ_CORPUS ?? path.resolve(repoRoot, '../shared/corpus/real');
  if (!fs.existsSync(root)) return [];
  const texts: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(entry.name) && fs.statSync(full).size < 200_000) texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return texts;
}

const NAMES = ['web', 'db', 'kafka', 'zk', 'data', 'a', 'x-1', 'constructor', 'toString', '__proto__', 'Bad_Name', ''];
const CLASSES = ['nfs', 'standard', '""', 'fast', 'gp2', 'Bad Class'];
const SIZES = ['1Gi', '10Gi', '1G', '500Mi', '0', '-1Gi', '1e3', '10Gi ', '2Ti', '1.5Gi', 'abc'];
const MODES = ['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod', 'RWO'];

function statefulSet(rng: Rng): string {
  const name = pick(rng, NAMES);
  return [
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    `  serviceName: ${pick(rng, NAMES)}`,
    `  replicas: ${between(rng, 0, 5)}`,
    `  podManagementPolicy: ${pick(rng, ['OrderedReady', 'Parallel'])}`,
    '  selector:',
    `    matchLabels: {app: ${name}}`,
    '  template:',
    `    metadata: {labels: {app: ${pick(rng, [name, 'other'])}}}`,
    '    spec:',
    '      containers:',
    '      - name: main',
    '        image: nginx:1.25',
    '        ports: [{containerPort: 80, name: web}]',
    `        volumeMounts: [{name: ${pick(rng, ['data', 'www'])}, mountPath: /data}]`,
    '  volumeClaimTemplates:',
    '  - metadata: {name: data}',
    '    spec:',
    `      accessModes: [${pick(rng, MODES)}]`,
    `      storageClassName: ${pick(rng, CLASSES)}`,
    `      resources: {requests: {storage: ${pick(rng, SIZES)}}}`,
  ].join('\n');
}

function service(rng: Rng): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    `metadata: {name: ${pick(rng, NAMES)}}`,
    'spec:',
    `  clusterIP: ${pick(rng, ['None', '10.0.0.1', '""'])}`,
    `  selector: {app: ${pick(rng, NAMES)}}`,
    '  ports: [{port: 80, name: web}]',
  ].join('\n');
}

function persistentVolume(rng: Rng, index: number): string {
  return [
    'apiVersion: v1',
    'kind: PersistentVolume',
    `metadata: {name: pv${index}}`,
    'spec:',
    `  capacity: {storage: ${pick(rng, SIZES)}}`,
    `  accessModes: [${pick(rng, MODES)}]`,
    `  storageClassName: ${pick(rng, CLASSES)}`,
    `  persistentVolumeReclaimPolicy: ${pick(rng, ['Retain', 'Delete', 'Recycle'])}`,
    `  nfs: {server: nfs1, path: /data/v${index}}`,
    ...(rng() < 0.3 ? [`  claimRef: {name: data-${pick(rng, NAMES)}-${between(rng, 0, 3)}, namespace: default}`] : []),
  ].join('\n');
}

function claim(rng: Rng): string {
  return [
    'apiVersion: v1',
    'kind: PersistentVolumeClaim',
    `metadata: {name: data-${pick(rng, NAMES)}-${between(rng, 0, 3)}}`,
    'spec:',
    `  accessModes: [${pick(rng, MODES)}]`,
    `  storageClassName: ${pick(rng, CLASSES)}`,
    `  resources: {requests: {storage: ${pick(rng, SIZES)}}}`,
  ].join('\n');
}

/** A small set of related objects, as a chart would write them. */
export function generatedManifests(rng: Rng): string {
  const docs = [statefulSet(rng), service(rng)];
  for (let i = 0; i < between(rng, 0, 4); i++) docs.push(persistentVolume(rng, i));
  if (rng() < 0.4) docs.push(claim(rng));
  if (rng() < 0.1) docs.push(`apiVersion: v1\nkind: List\nitems:\n- ${service(rng).replace(/\n/g, '\n  ')}`);
  return `${docs.join('\n---\n')}\n`;
}

/** Tokens that broke a YAML reader or a message before. */
const TOKENS = [
  '.inf', '-.inf', '.nan', '.NaN', '1e309', '-1e309', '.', '-.', '+.', '~', 'null', 'y', 'n', 'yes', 'off', '0x1F', '0o17', '0777',
  '0b101', '1_000', '2147483648', '-5', '4294967296', '1.0e+308', '9007199254740993', '0xFFFFFFFFFFFFFFFFFFFFFFFF', '2001-12-14',
  '12:30', '!!binary aGVsbG8=', '!!binary ***', '!!set {? bogusField}', '!!omap [a: 1]', '!!int abc', '!!str 12', '!foo bar',
  '*undefined', '&a 1', '*a', '<<: {x: 1}', '<<: 5', '{? [a, b]: c}', '{? {a: 1}: c}', '{~: 1}', 'constructor', 'toString',
  '__proto__', 'hasOwnProperty', 'valueOf', '"\\e]0;x\\a"', '"\\u202e"', '"\\0"', '{{ .Values.x }}', '{{ x }}', '|', '>-', '"',
  "'", '[', ']', '{', '}', '? ', ': ', '- ', '---', '...', '#', '\t', '\r', '%YAML 1.1', '&b [*b]', '"a\\x80"', 'é', '💥',
];
const KEYS = ['constructor', 'toString', '__proto__', 'valueOf', 'replicas', 'kind', 'apiVersion', 'metadata', 'spec', 'items', '<<', 'on', '1', '.inf', 'null', '~', '""'];

function mutateOnce(text: string, rng: Rng): string {
  const lines = text.split('\n');
  const at = Math.floor(rng() * Math.max(1, lines.length));
  const line = lines[at] ?? '';
  switch (between(rng, 0, 11)) {
    case 0: {
      // Replace a value.
      const colon = line.indexOf(': ');
      lines[at] = colon === -1 ? `${line} ${pick(rng, TOKENS)}` : `${line.slice(0, colon + 2)}${pick(rng, TOKENS)}`;
      break;
    }
    case 1: {
      // Replace a key.
      const match = /^(\s*-?\s*)([^:\s][^:]*):/.exec(line);
      lines[at] = match ? `${match[1]}${pick(rng, KEYS)}:${line.slice(match[0].length)}` : line;
      break;
    }
    case 2:
      lines.splice(at, 1);
      break;
    case 3:
      lines.splice(at, 0, line);
      break;
    case 4:
      lines[at] = rng() < 0.5 ? ` ${line}` : line.replace(/^ /, '');
      break;
    case 5: {
      const pos = Math.floor(rng() * (line.length + 1));
      lines[at] = `${line.slice(0, pos)}${pick(rng, TOKENS)}${line.slice(pos)}`;
      break;
    }
    case 6:
      return text.slice(0, Math.floor(rng() * text.length));
    case 7: {
      const pos = Math.floor(rng() * text.length);
      return `${text.slice(0, pos)}${String.fromCharCode(between(rng, 0, 0x7f))}${text.slice(pos + 1)}`;
    }
    case 8: {
      const other = Math.floor(rng() * lines.length);
      [lines[at], lines[other]] = [lines[other], lines[at]];
      break;
    }
    case 9:
      lines.splice(at, 0, `${line.match(/^\s*/)![0]}${pick(rng, KEYS)}: ${pick(rng, TOKENS)}`);
      break;
    case 10:
      return `${text}---\n${text}`;
    default:
      lines[at] = line.replace(/\S+$/, pick(rng, ['&a', '*a', '!!set', '!!binary', '!!omap', '!!map', '!!seq', '!!str', '!!null']) + ' $&');
  }
  return lines.join('\n');
}

/** Case `index` of `seed`: a base text (real or generated) with 0 to 4 mutations. */
export function fuzzCase(seed: number, index: number, corpus: readonly string[]): string {
  const rng = random((seed * 1_000_003 + index) >>> 0);
  let text = corpus.length > 0 && rng() < 0.5 ? pick(rng, corpus) : generatedManifests(rng);
  const mutations = between(rng, 0, 4);
  for (let i = 0; i < mutations; i++) text = mutateOnce(text, rng);
  return text;
}
