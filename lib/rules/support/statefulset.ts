/** The StatefulSet view lives in the model layer (k8s/views.ts); re-exported for the rules. */
import type { LintContext, Manifest } from '../../core/types';
import { readStatefulSet, type StatefulSetView } from '../../k8s/views';
import { perManifest } from './per-manifest';

export { readStatefulSet, type ClaimTemplate, type StatefulSetView, type TemplateContainer } from '../../k8s/views';

/** The view of a StatefulSet of the linted set, read once per run however many rules ask. */
export function statefulSetView(manifest: Manifest, ctx: LintContext): StatefulSetView {
  return perManifest(ctx, 'rules/statefulset-views', manifest, readStatefulSet);
}
