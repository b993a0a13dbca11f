import { IConstruct } from 'constructs';

/** A check of a construct's own invariants on what it will synthesize; returns error messages, empty when fine. */
export type InvariantCheck = () => readonly string[];

/**
 * Registers a check that cdk8s runs before writing any YAML (`app.synth()`, `Testing.synth()`, `chart.toJson()`):
 * any message fails the synth with `Validation failed with the following errors: [path] message`.
 *
 * This is the single place where the constructs hook into synth validation, so that the linter's rules can be
 * routed through it later without touching the constructs.
 */
export function addSynthValidation(scope: IConstruct, check: InvariantCheck): void {
  scope.node.addValidation({ validate: () => [...check()] });
}
