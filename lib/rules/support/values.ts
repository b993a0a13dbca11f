/** The tolerant readers live in the model layer (k8s/values.ts); re-exported for the rules. */
export * from '../../k8s/values';
