/**
 * The rule registry: every rule of `lint` and `diff`, in catalogue order. The engines (lib/lint, lib/diff) receive
 * it from their callers; this is the one list the CLI, the constructs, the cdk8s plugin and the settings read.
 */
import { createRegistry, type RuleRegistry } from '../core/rule';
import { immutableField } from '../diff/checks/immutable-field';
import { removedVolumeRetainsData } from '../diff/checks/removed-pv';
import { removedStatefulSetRetainsClaims } from '../diff/checks/removed-statefulset';
import { scaleDownRetainsClaims } from '../diff/checks/scale-down';
import { duplicateObject } from './duplicate-object';
import { pvClaimRef } from './pv-claim-ref';
import { pvNamespace } from './pv-namespace';
import { pvReclaimRecycle } from './pv-reclaim-recycle';
import { pvcClassUnset } from './pvc-class-unset';
import { pvcNondeterministic } from './pvc-nondeterministic';
import { pvcUnbound } from './pvc-unbound';
import { schema } from './schema';
import { storageFraction } from './storage-fraction';
import { stsNameLength } from './sts-name-length';
import { stsSelector } from './sts-selector';
import { stsService } from './sts-service';
import { vctMount } from './vct-mount';
import { yamlSyntax } from './yaml-syntax';

export const registry: RuleRegistry = createRegistry([
  // document and object rules the engine reports itself
  yamlSyntax,
  schema,
  // lint: object and set rules
  stsService,
  stsSelector,
  stsNameLength,
  vctMount,
  pvcUnbound,
  pvcClassUnset,
  pvcNondeterministic,
  pvClaimRef,
  pvNamespace,
  pvReclaimRecycle,
  storageFraction,
  duplicateObject,
  // diff: revision rules
  immutableField,
  scaleDownRetainsClaims,
  removedStatefulSetRetainsClaims,
  removedVolumeRetainsData,
]);
