/**
 * Programmatic `diff`: compare two revisions of Kubernetes YAML and learn which changes a 1.28 API server
 * would refuse. A cdk8s app can compare its synth output with the previous `dist/`:
 *
 *   const report = diffTexts(fs.readFileSync('dist/app.k8s.yaml', 'utf8'), app.synthYaml());
 *   if (report.summary.errors > 0) ...
 */
export { diffManifests, statusOf } from './run';
export {
  diffPaths, diffTexts, diffGitBase, planPaths, loadAtRevision, DiffInputError, type GitBaseOptions, type TextDiffOptions,
} from './revisions';
export { normalize, DEFAULTS } from './normalize';
export { pairObjects } from './pair';
export { groupOf, isBuiltinKind } from './identity';
export { diffFields, describeChange, type FieldChange } from './changes';
export type * from './types';
export { membershipPlans, membershipPlanOf, MAX_LISTED_MEMBERS, type MembershipPlan, type MemberStep } from './membership';
