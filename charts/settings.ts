/**
 * The settings of the example app on its command line, so that the walkthrough is a set of commands:
 * `cdk8s synth --app "node build/charts/main.js --replicas 4 --partition 2 --image ikubernetes/myapp:v2"`.
 */
import { MyAppChartProps } from './myapp';

export const USAGE =
  'usage: node build/charts/main.js [--replicas N] [--image IMAGE] [--partition N]   (settings of the myapp chart)';

/** The myapp chart's props from `--name value` / `--name=value` arguments; throws on anything else. */
export function parseMyAppArgs(argv: readonly string[]): MyAppChartProps {
  const settings: { replicas?: number; image?: string; partition?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    switch (flag) {
      case '--replicas':
      case '--partition':
        if (!/^\d+$/.test(value)) throw new Error(`${flag} ${JSON.stringify(value)} is not a whole number >= 0\n${USAGE}`);
        settings[flag.slice(2) as 'replicas' | 'partition'] = Number(value);
        break;
      case '--image':
        if (value.trim() === '') throw new Error(`--image is empty\n${USAGE}`);
        settings.image = value;
        break;
      default:
        throw new Error(`unknown argument ${JSON.stringify(argv[i - (inline === undefined ? 1 : 0)])}\n${USAGE}`);
    }
  }
  return settings;
}
