/**
 * JUnit XML: one testsuite per file; a file with findings has one failing testcase per finding (warnings too, as
 * ESLint's JUnit output does), a clean file one passing testcase.
 */
import type { Finding, LintReport } from '../core/types';
import { shownFile } from './paths';

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 cannot hold. */
export function escapeXml(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

function testcase(file: string, finding: Finding): string {
  const where = `${file}:${finding.line}:${finding.column}`;
  const failure = `<failure${attributes({ type: finding.severity, message: finding.message })}>${escapeXml(
    `${where} ${finding.severity} ${finding.message} (${finding.rule})`,
  )}</failure>`;
  return `    <testcase${attributes({ classname: file, name: `${finding.rule} at ${finding.line}:${finding.column}` })}>${failure}</testcase>`;
}

function testsuite(file: string, findings: readonly Finding[]): string {
  const cases = findings.length > 0
    ? findings.map((finding) => testcase(file, finding))
    : [`    <testcase${attributes({ classname: file, name: 'no problems' })}/>`];
  return [
    `  <testsuite${attributes({ name: file, tests: cases.length, failures: findings.length, errors: 0 })}>`,
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

export function formatJunit(report: LintReport): string {
  const byFile = new Map<string, Finding[]>();
  for (const file of report.inputs ?? []) byFile.set(file, []);
  for (const finding of report.findings) {
    const findings = byFile.get(shownFile(finding));
    if (findings) findings.push(finding);
    else byFile.set(shownFile(finding), [finding]);
  }
  const suites = [...byFile].map(([file, findings]) => testsuite(file, findings));
  const tests = [...byFile.values()].reduce((sum, findings) => sum + Math.max(1, findings.length), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'cdk8s-stateful', tests, failures: report.findings.length, errors: 0 })}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
