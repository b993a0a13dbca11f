import { Chart, JsonPatch, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EtcdCluster, StatefulApp } from '../lib/constructs';

export interface EtcdChartProps {
  /**
   * Namespace of the cluster; the chart creates it.
   * @default 'etcd'
   */
  readonly namespace?: string;
  /**
   * Cluster members; an odd number keeps a majority through one failure.
   * @default 3
   */
  readonly replicas?: number;
  /** Accept an even number of replicas (the step between two odd sizes). @default false */
  readonly allowEvenMembers?: boolean;
  /**
   * Members that bootstrap the cluster together at the first install (initial-cluster-state new). Keep it when you
   * change `replicas` later: pods beyond these join an existing cluster (initial-cluster-state existing) after
   * `etcdctl member add`, one at a time (`cdk8s-stateful diff` prints the runbook).
   * @default 3, or replicas when fewer
   */
  readonly bootstrapMembers?: number;
  /**
   * An image with /bin/sh and etcd on the PATH (see EtcdCluster).
   * @default 'registry.k8s.io/etcd:3.5.16-0'
   */
  readonly image?: string;
  /**
   * @default 'nfs1'
   */
  readonly nfsServer?: string;
}

/**
 * The example etcd cluster: an `EtcdCluster` (docs/blueprints/etcd.md) on hand-provisioned NFS volumes, one
 * pre-bound PersistentVolume per claim for the data and for the write-ahead log, in a namespace of its own.
 */
export class EtcdChart extends Chart {
  public readonly app: StatefulApp;
  public readonly cluster: EtcdCluster;

  constructor(scope: Construct, id: string, props: EtcdChartProps = {}) {
    const namespace = props.namespace ?? 'etcd';
    super(scope, id, { namespace });
    const replicas = props.replicas ?? 3;
    const nfsServer = props.nfsServer ?? 'nfs1';

    // Namespace objects are cluster-scoped: drop the namespace the chart stamps on everything.
    new k8s.KubeNamespace(this, 'namespace', { metadata: { name: namespace } })
      .addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    this.cluster = new EtcdCluster(this, 'etcd', {
      members: replicas,
      bootstrapMembers: props.bootstrapMembers ?? Math.min(3, replicas),
      allowEvenMembers: props.allowEvenMembers,
      image: props.image,
      resources: { cpu: { request: Cpu.millis(250) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) } },
      data: {
        size: Size.gibibytes(8),
        nfs: { server: nfsServer, pathPattern: '/data/etcd/data-{n}', namePattern: 'etcd-data-{n}', firstNumber: 0 },
      },
      wal: {
        size: Size.mebibytes(512),
        nfs: {
          server: nfsServer,
          pathPattern: '/data/etcd/wal-{n}',
          namePattern: 'etcd-wal-{n}',
          firstNumber: 0,
          mountOptions: ['nfsvers=4.1', 'hard'],
        },
      },
    });
    this.app = this.cluster.app;
  }
}
