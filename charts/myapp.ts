import { Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { AccessMode, ContainerSecurity, StatefulApp, UpdateStrategy } from '../lib/constructs';

export interface MyAppChartProps {
  /**
   * Namespace of the app (and of the claims the PVs are pre-bound to).
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Number of pods; one NFS PV per pod (`pv004` on `/data/volumes/v4` appears with 4 replicas).
   * @default 3
   */
  readonly replicas?: number;
  /**
   * @default 'ikubernetes/myapp:v1'
   */
  readonly image?: string;
  /**
   * Rolling-update partition, the canary: pods with an ordinal below it keep the old image
   * (`partition: 2` leaves pods 0 and 1 on the old image).
   * @default 0
   */
  readonly partition?: number;
  /**
   * @default 'nfs1'
   */
  readonly nfsServer?: string;
}

/**
 * The example this project grew from: nginx pods, each with its own 2Gi NFS volume, behind a headless Service.
 */
export class MyAppChart extends Chart {
  public readonly app: StatefulApp;

  constructor(scope: Construct, id: string, props: MyAppChartProps = {}) {
    super(scope, id, { namespace: props.namespace ?? 'default' });
    this.app = new StatefulApp(this, 'myapp', {
      name: 'myapp',
      podLabels: { app: 'myapp-pod' },
      replicas: props.replicas ?? 3,
      updateStrategy: UpdateStrategy.rollingUpdate({ partition: props.partition ?? 0 }),
      containers: [{
        name: 'myapp',
        image: props.image ?? 'ikubernetes/myapp:v1',
        ports: [{ name: 'web', number: 80 }],
        mounts: [{ template: 'myappdata', path: '/usr/share/nginx/html' }],
        // The image runs nginx as root and writes to its own filesystem.
        security: ContainerSecurity.runAsRoot(),
      }],
      volumeClaimTemplates: [{
        name: 'myappdata',
        size: Size.gibibytes(2),
        accessModes: [AccessMode.READ_WRITE_ONCE],
        nfs: {
          server: props.nfsServer ?? 'nfs1',
          pathPattern: '/data/volumes/v{n}',
          namePattern: 'pv{nnn}',
          firstNumber: 1,
          accessModes: [AccessMode.READ_WRITE_MANY, AccessMode.READ_WRITE_ONCE],
        },
      }],
    });
  }
}
