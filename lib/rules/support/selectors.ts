/** How the API server prints label maps in its errors. */

/** Labels the way Go prints a map[string]string with %#v (sorted keys), as the API server quotes invalid values. */
export function goMapLiteral(labels: Record<string, string> | undefined): string {
  if (labels === undefined) return 'map[string]string(nil)';
  const entries = Object.keys(labels)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(labels[key])}`);
  return `map[string]string{${entries.join(', ')}}`;
}
