/** Kubernetes enumerations used by the constructs, spelled as the API spells them. */

/** How a volume can be mounted. A claim's modes must all be offered by the PV it binds. */
export enum AccessMode {
  READ_WRITE_ONCE = 'ReadWriteOnce',
  READ_ONLY_MANY = 'ReadOnlyMany',
  READ_WRITE_MANY = 'ReadWriteMany',
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
}

/** Whether a volume is a filesystem or a raw block device (unset means Filesystem). */
export enum VolumeMode {
  FILESYSTEM = 'Filesystem',
  BLOCK = 'Block',
}

/** What happens to a PersistentVolume once its claim is deleted. */
export enum ReclaimPolicy {
  RETAIN = 'Retain',
  DELETE = 'Delete',
  RECYCLE = 'Recycle',
}

/** How a StatefulSet creates and deletes its pods. */
export enum PodManagementPolicy {
  /** One at a time, in ordinal order, each waiting for the previous one to be Ready. */
  ORDERED_READY = 'OrderedReady',
  /** All at once. */
  PARALLEL = 'Parallel',
}

/** What happens to a StatefulSet's claims when it is deleted or scaled down. */
export enum ClaimRetention {
  RETAIN = 'Retain',
  DELETE = 'Delete',
}

/** Network protocol of a port. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
}
