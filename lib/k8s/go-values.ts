/** How the API server prints Go values it quotes in errors (`%#v` of label maps and label selectors). */

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const goString = (value: unknown): string => JSON.stringify(String(value));
const goStrings = (values: unknown): string =>
  Array.isArray(values) && values.length > 0 ? `[]string{${values.map(goString).join(', ')}}` : '[]string(nil)';

/** Labels the way Go prints a map[string]string with %#v (sorted keys), as the API server quotes invalid values. */
export function goMapLiteral(labels: Readonly<Record<string, unknown>> | undefined): string {
  if (labels === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(labels)
    .sort()
    .map((key) => `${goString(key)}:${goString(labels[key])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

/** A label selector as Go's `%#v` prints a metav1.LabelSelector. */
export function goLabelSelector(selector: unknown): string {
  const sel: Json = isRecord(selector) ? selector : {};
  const labels = isRecord(sel.matchLabels) && Object.keys(sel.matchLabels).length > 0 ? sel.matchLabels : undefined;
  const expressions = Array.isArray(sel.matchExpressions) ? sel.matchExpressions.filter(isRecord) : [];
  const matchExpressions = expressions.length === 0
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${expressions.map((e) =>
      `v1.LabelSelectorRequirement{Key:${goString(e.key)}, Operator:${goString(e.operator)}, Values:${goStrings(e.values)}}`).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goMapLiteral(labels)}, MatchExpressions:${matchExpressions}}`;
}
