export * from './types';
export { sizeInBytes, formatBytes as formatStorageQuantity } from './quantity';
export { SYNTH_LINT_CONTEXT_KEY, type SynthLintSettings } from './validation';
export * from './headless-service';
export * from './nfs-persistent-volume';
export * from './nfs-volume-pool';
export {
  CapabilityName,
  ClaimMount,
  ContainerLifecycle,
  ContainerMount,
  ContainerPort,
  ContainerResources,
  ContainerSecurity,
  ContainerSecurityProps,
  EnvFrom,
  EnvValue,
  Handler,
  NonRootOptions,
  ObjectName,
  Probe,
  ProbeTiming,
  SecretValue,
  StatefulContainer,
} from './container';
export {
  ConfigMapVolumeOptions,
  DownwardApiItem,
  EmptyDirVolumeOptions,
  HostAlias,
  PathMapping,
  PodDns,
  PodScheduling,
  PodSecurityContextProps,
  PodVolume,
  ProjectedSource,
  SecretVolumeOptions,
  Separation,
  Sysctl,
  Toleration,
  TopologySpread,
} from './pod';
export * from './update-strategy';
export * from './stateful-app';
export * from './blueprints';
