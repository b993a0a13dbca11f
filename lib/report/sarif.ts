/**
 * SARIF 2.1.0, as GitHub code scanning accepts it: one run, the rule catalogue as the driver's rules, one result
 * per finding with a relative, forward-slash artifact URI and a start line and column.
 */
import type { Finding, LintReport, RuleInfo } from '../core/types';
import { relativePath } from './paths';

/** What the driver says of a rule. */
type DriverRule = Omit<RuleInfo, 'phase'>;

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'cdk8s-stateful';

export interface SarifOptions {
  /** Rules described in the driver (findings of other rules get a bare entry). */
  readonly rules?: readonly DriverRule[];
  /** Directory absolute file paths are made relative to (the repository root). @default process.cwd() */
  readonly root?: string;
  readonly toolVersion?: string;
}

/** A relative path as a URI reference: each segment percent-encoded, `/` kept. */
function toUri(file: string, root: string): string {
  return relativePath(file, root).split('/').map(encodeURIComponent).join('/');
}

function driverRules(findings: readonly Finding[], rules: readonly DriverRule[]): DriverRule[] {
  const known = new Map(rules.map((rule) => [rule.id, rule]));
  for (const finding of findings) {
    if (!known.has(finding.rule)) {
      known.set(finding.rule, { id: finding.rule, severity: finding.severity, description: finding.rule, remediation: '' });
    }
  }
  return [...known.values()];
}

export function formatSarif(report: LintReport, options: SarifOptions = {}): string {
  const root = options.root ?? process.cwd();
  const rules = driverRules(report.findings, options.rules ?? []);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            rules: rules.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              ...(rule.remediation ? { help: { text: rule.remediation } } : {}),
              defaultConfiguration: { level: rule.severity },
            })),
          },
        },
        results: report.findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIndex.get(finding.rule),
          level: finding.severity,
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(finding.file, root) },
                region: { startLine: finding.line, startColumn: finding.column },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
