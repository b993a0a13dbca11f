/**
 * Kubernetes naming: DNS-1123 labels and subdomains, and the names a StatefulSet derives for its pods and claims.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_LABEL_MAX = 63;

/** RFC 1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(value);
}

/** RFC 1123 subdomain: dot-separated labels, at most 253 characters (names of most objects, e.g. PVs and PVCs). */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= DNS1123_SUBDOMAIN_MAX && value.split('.').every(isDns1123Label);
}

/** Name of the pod with this ordinal: `web-0`. */
export function podName(statefulSet: string, ordinal: number): string {
  return `${statefulSet}-${ordinal}`;
}

/** Name of the claim the StatefulSet controller creates for a template and ordinal: `www-web-0`. */
export function claimName(template: string, statefulSet: string, ordinal: number): string {
  return `${template}-${statefulSet}-${ordinal}`;
}

/** Stable DNS name of a StatefulSet pod behind its headless Service: `web-0.nginx.default.svc.cluster.local`. */
export function podFqdn(
  statefulSet: string,
  ordinal: number,
  serviceName: string,
  namespace: string,
  clusterDomain = 'cluster.local',
): string {
  return `${podName(statefulSet, ordinal)}.${serviceName}.${namespace}.svc.${clusterDomain}`;
}

/** The ordinals a StatefulSet runs: start .. start + replicas - 1. */
export function ordinals(start: number, replicas: number): number[] {
  return Array.from({ length: Math.max(0, replicas) }, (_, i) => start + i);
}

const DNS1123_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FORMAT}$`);
const DNS1035_LABEL_FORMAT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL = new RegExp(`^${DNS1035_LABEL_FORMAT}$`);
const QUALIFIED_NAME_FORMAT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FORMAT}$`);
const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE_MAX = 63;

/** apimachinery's RegexError: the message, examples and the regular expression, worded exactly as the API server. */
function regexError(message: string, format: string, ...examples: string[]): string {
  const shown = examples.map((example) => `'${example}', `).join(' or ');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

const maxLength = (max: number) => `must be no more than ${max} characters`;

export const DNS1123_SUBDOMAIN_ERROR = regexError(
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  DNS1123_SUBDOMAIN_FORMAT,
  'example.com',
);
export const DNS1123_LABEL_ERROR = regexError(
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  DNS1123_LABEL_FORMAT,
  'my-name',
  '123-abc',
);
export const DNS1035_LABEL_ERROR = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  DNS1035_LABEL_FORMAT,
  'my-name',
  'abc-123',
);
const QUALIFIED_NAME_ERROR = regexError(
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  QUALIFIED_NAME_FORMAT,
  'MyName',
  'my.name',
  '123-abc',
);
const LABEL_VALUE_ERROR = regexError(
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  LABEL_VALUE_FORMAT,
  'MyValue',
  'my_value',
  '12345',
);

/** The API server's reasons (IsDNS1123Subdomain) why `value` is not an RFC 1123 subdomain; empty when it is one. */
export function dns1123SubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) problems.push(maxLength(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN.test(value)) problems.push(DNS1123_SUBDOMAIN_ERROR);
  return problems;
}

/** The API server's reasons (IsDNS1123Label) why `value` is not an RFC 1123 label; empty when it is one. */
export function dns1123LabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) problems.push(maxLength(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL.test(value)) problems.push(DNS1123_LABEL_ERROR);
  return problems;
}

/** The API server's reasons (IsDNS1035Label, the rule for Service names) why `value` is not a DNS-1035 label. */
export function dns1035LabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) problems.push(maxLength(DNS1123_LABEL_MAX));
  if (!DNS1035_LABEL.test(value)) problems.push(DNS1035_LABEL_ERROR);
  return problems;
}

/** The API server's reasons (IsQualifiedName) why `key` is not a label key: `[prefix/]name`. */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [`a qualified name ${QUALIFIED_NAME_ERROR} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts[parts.length - 1];
  const problems: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === '') problems.push('prefix part must be non-empty');
    else problems.push(...dns1123SubdomainProblems(prefix).map((problem) => `prefix part ${problem}`));
  }
  if (name === '') problems.push('name part must be non-empty');
  else if (name.length > DNS1123_LABEL_MAX) problems.push(`name part ${maxLength(DNS1123_LABEL_MAX)}`);
  if (name !== '' && !QUALIFIED_NAME.test(name)) problems.push(`name part ${QUALIFIED_NAME_ERROR}`);
  return problems;
}

/** The API server's reasons (IsValidLabelValue) why `value` is not a label value; the empty string is valid. */
export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > LABEL_VALUE_MAX) problems.push(maxLength(LABEL_VALUE_MAX));
  if (value !== '' && !QUALIFIED_NAME.test(value)) problems.push(LABEL_VALUE_ERROR);
  return problems;
}

/**
 * Longest StatefulSet name whose pods can be created. The controller labels each pod
 * `controller-revision-hash: <name>-<hash>` (hash: up to 10 characters), and a label value is at most 63
 * characters; the API server accepts a longer StatefulSet name, but every pod creation then fails
 * (kubernetes/kubernetes#64023).
 */
export const STATEFULSET_NAME_MAX = 52;

/** Why a StatefulSet of this name cannot run pods although the API server accepts it, or undefined. */
export function statefulSetNameProblem(name: string): string | undefined {
  if (name.length <= STATEFULSET_NAME_MAX) return undefined;
  return (
    `name is ${name.length} characters, more than ${STATEFULSET_NAME_MAX}: the StatefulSet controller ` +
    `cannot create its pods, because their controller-revision-hash label "<name>-<hash>" would exceed 63 characters; ` +
    `shorten the name to at most ${STATEFULSET_NAME_MAX} characters`
  );
}
