/**
 * Label selectors, matched exactly like Kubernetes (metav1.LabelSelectorAsSelector), and a Service's plain selector.
 */

export type Labels = Readonly<Record<string, string>>;

export interface LabelSelectorRequirement {
  readonly key: string;
  /** In, NotIn, Exists or DoesNotExist (case-sensitive). */
  readonly operator: string;
  readonly values?: readonly string[];
}

/** metav1.LabelSelector: matchLabels AND every matchExpressions requirement. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Does `selector` select an object with these labels? An empty selector `{}` selects everything; an absent one
 * (undefined) selects nothing; an invalid one (see validateLabelSelector) selects nothing, as the API treats it as
 * an error. Where absence means "no restriction" (a claim's selector), test for undefined before calling.
 */
export function matchesLabelSelector(selector: LabelSelector | undefined, labels: Labels): boolean {
  return compileLabelSelector(selector)(labels);
}

/** matchesLabelSelector with the selector validated once, for matching it against many label sets. */
export function compileLabelSelector(selector: LabelSelector | undefined): (labels: Labels) => boolean {
  if (selector === undefined || validateLabelSelector(selector).length > 0) return () => false;
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  return (labels) =>
    matchLabels.every(([key, value]) => has(labels, key) && labels[key] === value) &&
    expressions.every((requirement) => matchesRequirement(requirement, labels));
}

/**
 * Does a Service's `spec.selector` select a pod with these labels? An absent or empty selector selects nothing:
 * such a Service gets no automatic endpoints.
 */
export function matchesServiceSelector(selector: Labels | undefined, labels: Labels): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => has(labels, key) && labels[key] === value);
}

/** What the API server would reject in this selector, one message per problem (empty when valid). */
export function validateLabelSelector(selector: LabelSelector): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    problems.push(...validateKey(`matchLabels`, key));
    if (!isLabelValue(value)) problems.push(`matchLabels: Invalid value: "${value}": ${LABEL_VALUE_RULE}`);
  }
  (selector.matchExpressions ?? []).forEach((requirement, index) => {
    const where = `matchExpressions[${index}]`;
    const values = requirement.values ?? [];
    problems.push(...validateKey(`${where}.key`, requirement.key));
    if (!OPERATORS.includes(requirement.operator)) {
      problems.push(
        `${where}.operator: Invalid value: "${requirement.operator}": not a valid selector operator ` +
          `(one of ${OPERATORS.join(', ')})`,
      );
    } else if ((requirement.operator === 'In' || requirement.operator === 'NotIn') && values.length === 0) {
      problems.push(`${where}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`);
    } else if ((requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') && values.length > 0) {
      problems.push(
        `${where}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      );
    }
  });
  return problems;
}

const LABEL_VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
  'and must start and end with an alphanumeric character (at most 63 characters)';

function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}

/** A label key is a qualified name: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
function validateKey(where: string, key: string): string[] {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix));
  const nameOk = name.length <= 63 && LABEL_NAME.test(name);
  return prefixOk && nameOk
    ? []
    : [
        `${where}: Invalid value: "${key}": a label key must be a name of at most 63 alphanumeric characters, ` +
          "'-', '_' or '.' (starting and ending alphanumeric), with an optional DNS subdomain prefix and '/'",
      ];
}

/**
 * Why `selector` does not select these labels, one clause per failing term joined by '; ', or '' when it does.
 * `labelsName` names the labels in the text: "matchLabels app=db but template labels have app=web".
 */
export function explainMismatch(
  selector: LabelSelector | undefined,
  labels: Labels,
  labelsName = 'labels',
): string {
  if (selector === undefined) return 'there is no selector, so it selects nothing';
  const problems = validateLabelSelector(selector);
  if (problems.length > 0) return `the selector is invalid and selects nothing: ${problems.join('; ')}`;
  return failedTerms(selector, labels)
    .map((term) => `${term.wanted} but ${labelsName} ${describeLabel(labels, term.key)}`)
    .join('; ');
}

/** Why a Service selector does not select these labels, or '' when it does. */
export function explainServiceMismatch(
  selector: Labels | undefined,
  labels: Labels,
  labelsName = 'pod labels',
): string {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return 'the Service has no selector, so it selects no pods';
  return entries
    .filter(([key, value]) => !has(labels, key) || labels[key] !== value)
    .map(([key, value]) => `selector ${key}=${value} but ${labelsName} ${describeLabel(labels, key)}`)
    .join('; ');
}

/** A selector as text, e.g. `app=db, tier in (a, b), !legacy`; '' for the empty selector. */
export function formatLabelSelector(selector: LabelSelector): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const requirement of selector.matchExpressions ?? []) terms.push(formatRequirement(requirement));
  return terms.join(', ');
}

interface FailedTerm {
  readonly key: string;
  readonly wanted: string;
}

function failedTerms(selector: LabelSelector, labels: Labels): FailedTerm[] {
  const failed: FailedTerm[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(labels, key) || labels[key] !== value) failed.push({ key, wanted: `matchLabels ${key}=${value}` });
  }
  for (const requirement of selector.matchExpressions ?? []) {
    if (!matchesRequirement(requirement, labels)) {
      failed.push({ key: requirement.key, wanted: `matchExpressions ${formatRequirement(requirement)}` });
    }
  }
  return failed;
}

function matchesRequirement(requirement: LabelSelectorRequirement, labels: Labels): boolean {
  const present = has(labels, requirement.key);
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return present && values.includes(labels[requirement.key]);
    case 'NotIn':
      return !present || !values.includes(labels[requirement.key]);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    default:
      return false;
  }
}

function formatRequirement(requirement: LabelSelectorRequirement): string {
  const values = `(${(requirement.values ?? []).join(', ')})`;
  switch (requirement.operator) {
    case 'Exists':
      return `${requirement.key} Exists`;
    case 'DoesNotExist':
      return `${requirement.key} DoesNotExist`;
    default:
      return `${requirement.key} ${requirement.operator} ${values}`;
  }
}

function describeLabel(labels: Labels, key: string): string {
  return has(labels, key) ? `have ${key}=${labels[key]}` : `have no ${key}`;
}

function has(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}
