export * from './types';
export { sizeInBytes, formatBytes as formatStorageQuantity } from './quantity';
export { SYNTH_LINT_CONTEXT_KEY, type SynthLintSettings } from './validation';
export * from './headless-service';
export * from './nfs-persistent-volume';
export * from './nfs-volume-pool';
export {
  ClaimMount,
  ContainerPort,
  ContainerResources,
  ContainerSecurity,
  EnvValue,
  NonRootOptions,
  Probe,
  ProbeTiming,
  StatefulContainer,
} from './container';
export * from './update-strategy';
export * from './stateful-app';
