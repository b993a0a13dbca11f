import { App } from 'cdk8s';
import { EtcdChart } from './etcd';
import { MyAppChart, MyAppChartProps } from './myapp';
import { parseMyAppArgs } from './settings';

/** Builds the example app: every chart, one YAML file per chart in dist/. */
export function buildApp(outdir?: string, myapp: MyAppChartProps = {}): App {
  const app = new App({ outdir });
  new MyAppChart(app, 'myapp', myapp);
  new EtcdChart(app, 'etcd');
  return app;
}

if (require.main === module) {
  let settings: MyAppChartProps;
  try {
    settings = parseMyAppArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  buildApp(undefined, settings).synth();
}
