import { k8s } from 'cdk8s-plus-28';

export interface RollingUpdateOptions {
  /**
   * Only pods with an ordinal >= partition are updated; the others keep the old template (a canary:
   * with 3 replicas, `partition: 2` updates only pod 2). Must be between 0 and the replica count.
   * @default 0
   */
  readonly partition?: number;
}

/** How a StatefulSet rolls out a new pod template, built by the static factories. */
export class UpdateStrategy {
  /** Replace pods one at a time, highest ordinal first, down to `partition`. */
  public static rollingUpdate(options: RollingUpdateOptions = {}): UpdateStrategy {
    return new UpdateStrategy('RollingUpdate', options.partition ?? 0);
  }

  /** Never replace pods by itself: a pod gets the new template only when someone deletes it. */
  public static onDelete(): UpdateStrategy {
    return new UpdateStrategy('OnDelete', undefined);
  }

  private constructor(
    public readonly type: 'RollingUpdate' | 'OnDelete',
    /** The partition of a rolling update; undefined for OnDelete. */
    public readonly partition: number | undefined,
  ) {}

  /** @internal */
  public _toKube(): k8s.StatefulSetUpdateStrategy {
    if (this.type === 'OnDelete') {
      return { type: 'OnDelete' };
    }
    // partition 0 is the API default: leave it out so that the YAML says only what was asked for.
    return this.partition ? { type: 'RollingUpdate', rollingUpdate: { partition: this.partition } } : { type: 'RollingUpdate' };
  }
}

/** A PodDisruptionBudget for the app's pods, built by the static factories. */
export class DisruptionBudget {
  /** At most this many pods (a count, or a percentage such as `'25%'`) may be down by voluntary disruption. */
  public static maxUnavailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', value);
  }

  /** At least this many pods (a count, or a percentage such as `'50%'`) must stay up, e.g. a quorum. */
  public static minAvailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('minAvailable', value);
  }

  private constructor(
    public readonly field: 'maxUnavailable' | 'minAvailable',
    public readonly value: number | string,
  ) {}
}
