/**
 * How a rule is defined and how it reports. Every rule — document, object, set (lint) and revision (diff) — is one
 * `defineRule({...})` in lib/rules (or lib/diff/checks), listed in the registry of lib/rules/index.ts; the engines
 * receive that registry and never import the rules themselves.
 *
 * A rule words its findings in one place, its `messages` table (ESLint's messageId style): `check` returns
 * `{ messageId, data }` and the engine turns it into text. A message is a template with `{{name}}` placeholders
 * filled from `data`, or a function of `data` when the wording depends on it (plurals, optional clauses).
 */
import type {
  DiffContext, LintContext, Manifest, ObjectPair, Path, RuleInfo, RulePhase, Severity,
} from './types';

/** Values a message is built from. */
export type MessageData = Readonly<Record<string, unknown>>;

/**
 * A template (`Service "{{name}}" is not headless`) or a function of the finding's data. `(data: never) => string`
 * accepts a function of any data shape; `Report` gives each messageId its function's own data type.
 */
export type Message = string | ((data: never) => string);
export type Messages = Readonly<Record<string, Message>>;

type DataOf<T> = T extends (data: infer D) => string ? D : never;

/** Where a lint finding points and how severe it is, besides its wording. */
interface LintPlacement {
  /** Node to point at in `manifest` (default: the checked manifest); default path: the document start. */
  readonly path?: Path;
  /** Overrides the rule's severity for this finding (e.g. a hint-level variant); a user's setting still wins. */
  readonly severity?: Severity;
  /** Point at another manifest than the one checked (e.g. the PV that causes a problem). */
  readonly manifest?: Manifest;
}

/** Where a revision finding points: into NEW, or into OLD for an object that was removed. */
interface RevisionPlacement {
  readonly side: 'old' | 'new';
  readonly path: Path;
  readonly severity?: Severity;
}

/** The message of a finding: its id in the rule's table and the data that fills it. */
type Worded<M extends Messages> = {
  [K in keyof M & string]: M[K] extends string
    ? { readonly messageId: K; readonly data?: MessageData }
    : { readonly messageId: K; readonly data: DataOf<M[K]> };
}[keyof M & string];

/** What a lint rule with messages M returns for one finding (typed: the data each message needs). */
export type Report<M extends Messages> = Worded<M> & LintPlacement;
/** What a revision rule with messages M returns for one finding. */
export type RevisionReport<M extends Messages> = Worded<M> & RevisionPlacement;

/** A finding as the engine receives it from any rule. */
export interface RuleFinding extends LintPlacement {
  readonly messageId: string;
  readonly data?: unknown;
}

export interface RevisionFinding extends RevisionPlacement {
  readonly messageId: string;
  readonly data?: unknown;
}

export interface RuleDocs {
  /** One line: what the rule checks. */
  readonly description: string;
  /** One sentence: what to do about a finding. */
  readonly remediation: string;
}

interface RuleBase {
  /** Public, stable id (e.g. 'sts-service'). */
  readonly id: string;
  readonly phase: RulePhase;
  readonly severity: Severity;
  readonly docs: RuleDocs;
  /** Set when no setting may turn the rule off: why, as the user is told when they try. */
  readonly alwaysOn?: string;
}

/** An object or set rule of `lint`: a pure function of (manifest, context). */
export interface ManifestRule extends RuleBase {
  readonly phase: 'object' | 'set';
  /**
   * Built-in kinds the rule looks at (as `LintContext.byKind` names them); the engine calls `check` only for these.
   * `'*'` (EVERY_OBJECT) means every object with a kind, custom resources included, except objects at an apiVersion
   * Kubernetes 1.28 does not serve (the schema pass reports those).
   */
  readonly kinds: readonly string[];
  readonly messages: Messages;
  check(manifest: Manifest, ctx: LintContext): readonly RuleFinding[];
}

/** A revision rule of `diff`: a pure function of one object pair (and both revisions). */
export interface RevisionRule extends RuleBase {
  readonly phase: 'revision';
  /** Built-in kinds the rule looks at (a custom resource reusing a kind name is not checked). */
  readonly kinds: readonly string[];
  readonly messages: Messages;
  check(pair: ObjectPair, ctx: DiffContext): readonly RevisionFinding[];
}

/**
 * A rule whose findings the engine produces itself (yaml-syntax: the loader; schema: the schema pass), worded by
 * the YAML parser and the API server's validation; it is in the registry for its docs, severity and settings.
 */
export interface EngineRule extends RuleBase {
  readonly phase: 'document' | 'object';
  readonly engine: true;
}

export type Rule = ManifestRule | RevisionRule | EngineRule;

/** What `defineRule` takes for an object or set rule: `check` returns typed reports of its own messages. */
export interface ManifestRuleDefinition<M extends Messages> extends Omit<ManifestRule, 'messages' | 'check'> {
  readonly messages: M;
  check(manifest: Manifest, ctx: LintContext): readonly Report<M>[];
}

export interface RevisionRuleDefinition<M extends Messages> extends Omit<RevisionRule, 'messages' | 'check'> {
  readonly messages: M;
  check(pair: ObjectPair, ctx: DiffContext): readonly RevisionReport<M>[];
}

/** Defines a rule; the messageIds and data `check` returns are type-checked against its `messages`. */
export function defineRule<M extends Messages>(rule: ManifestRuleDefinition<M>): ManifestRule;
export function defineRule<M extends Messages>(rule: RevisionRuleDefinition<M>): RevisionRule;
export function defineRule(rule: EngineRule): EngineRule;
export function defineRule(rule: Rule): Rule {
  return rule;
}

export function isManifestRule(rule: Rule): rule is ManifestRule {
  return rule.phase === 'object' || rule.phase === 'set' ? !('engine' in rule) : false;
}

export function isRevisionRule(rule: Rule): rule is RevisionRule {
  return rule.phase === 'revision';
}

/** The text of a finding: its message filled with its data. A missing message or placeholder is a bug in the rule. */
export function formatMessage(rule: { readonly id: string; readonly messages: Messages }, messageId: string, data: unknown): string {
  const message = Object.prototype.hasOwnProperty.call(rule.messages, messageId) ? rule.messages[messageId] : undefined;
  if (message === undefined) throw new Error(`rule ${rule.id} has no message "${messageId}"`);
  if (typeof message === 'function') return (message as (data: unknown) => string)(data);
  const values = (data ?? {}) as Record<string, unknown>;
  return message.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`rule ${rule.id}, message "${messageId}": no data for {{${key}}}`);
    return String(values[key]);
  });
}

/**
 * The severity a finding is reported with under the user's rule settings (`off`, `warning`, `error` by id), or
 * undefined when its rule is off. A setting wins over the severity a rule gives one finding.
 */
export function effectiveSeverity(
  settings: Readonly<Record<string, 'off' | Severity>> | undefined,
  rule: string,
  preferred: Severity,
): Severity | undefined {
  const setting = settings?.[rule];
  if (setting === 'off') return undefined;
  return setting ?? preferred;
}

/** Every rule the tools know, in catalogue order, as the engines, the settings and the `rules` command see them. */
export interface RuleRegistry {
  readonly rules: readonly Rule[];
  get(id: string): Rule | undefined;
  /** The object and set rules `lint` runs after the schema pass. */
  readonly manifestRules: readonly ManifestRule[];
  /** The revision rules `diff` runs on each object pair. */
  readonly revisionRules: readonly RevisionRule[];
  /** Rules no setting may turn off, with why. */
  readonly alwaysOn: ReadonlyMap<string, string>;
}

/** @throws Error when two rules share an id */
export function createRegistry(rules: readonly Rule[]): RuleRegistry {
  const byId = new Map<string, Rule>();
  for (const rule of rules) {
    if (byId.has(rule.id)) throw new Error(`two rules with the id "${rule.id}"`);
    byId.set(rule.id, rule);
  }
  return {
    rules,
    get: (id) => byId.get(id),
    manifestRules: rules.filter(isManifestRule),
    revisionRules: rules.filter(isRevisionRule),
    alwaysOn: new Map(rules.flatMap((rule) => (rule.alwaysOn === undefined ? [] : [[rule.id, rule.alwaysOn] as const]))),
  };
}

/** A rule as the catalogue, the `rules` command and the SARIF driver describe it. */
export function ruleInfo(rule: Rule): RuleInfo {
  return { id: rule.id, severity: rule.severity, description: rule.docs.description, remediation: rule.docs.remediation, phase: rule.phase };
}

/** The catalogue of a registry, or of the rules a command reports (`diff`: the engine's rules and revision rules). */
export function catalogueOf(registry: RuleRegistry, command?: 'lint' | 'diff'): RuleInfo[] {
  const reports = (rule: Rule): boolean =>
    command === undefined || 'engine' in rule || (command === 'diff') === (rule.phase === 'revision');
  return registry.rules.filter(reports).map(ruleInfo);
}
