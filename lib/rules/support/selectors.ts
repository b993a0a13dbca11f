/** How the API server prints label maps in its errors: see k8s/go-values.ts. */
export { goMapLiteral } from '../../k8s/go-values';

/** Label maps in messages. */

/** `{app: web, tier: db}` (sorted keys), or `no labels`: plain text, not the API server's Go syntax. */
export function labelMapText(labels: Record<string, string> | undefined): string {
  if (labels === undefined || Object.keys(labels).length === 0) return 'no labels';
  const entries = Object.keys(labels)
    .sort()
    .map((key) => `${key}: ${labels[key]}`);
  return `{${entries.join(', ')}}`;
}
