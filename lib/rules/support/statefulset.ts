/** The StatefulSet view lives in the model layer (k8s/views.ts); re-exported for the rules. */
export { readStatefulSet, type ClaimTemplate, type StatefulSetView, type TemplateContainer } from '../../k8s/views';
