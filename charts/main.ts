import { App } from 'cdk8s';
import { EtcdChart } from './etcd';
import { MyAppChart } from './myapp';

/** Builds the example app: every chart, one YAML file per chart in dist/. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new MyAppChart(app, 'myapp');
  new EtcdChart(app, 'etcd');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
