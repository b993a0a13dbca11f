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

function driver(rules: readonly DriverRule[], options: SarifOptions) {
  return {
    name: TOOL_NAME,
    ...(options.toolVersion ? { version: options.toolVersion } : {}),
    rules: rules.map((rule) => ({
      id: rule.id,
      shortDescription: { text: rule.description },
      ...(rule.remediation ? { help: { text: rule.remediation } } : {}),
      defaultConfiguration: { level: rule.severity },
    })),
  };
}

function sarifLog(run: Record<string, unknown>): string {
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}

export function formatSarif(report: LintReport, options: SarifOptions = {}): string {
  const root = options.root ?? process.cwd();
  const rules = driverRules(report.findings, options.rules ?? []);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  return sarifLog({
    tool: { driver: driver(rules, options) },
    invocations: [{ executionSuccessful: true }],
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
  });
}

/**
 * The SARIF of a run that could not do its job (exit code 2): no results, `executionSuccessful: false` and the
 * reason as a notification, so that an upload step that runs anyway (`if: always()`) gets a valid file.
 */
export function formatSarifFailure(reason: string, options: SarifOptions = {}): string {
  return sarifLog({
    tool: { driver: driver(options.rules ?? [], options) },
    invocations: [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [{ level: 'error', message: { text: reason } }],
      },
    ],
    results: [],
  });
}
