/**
 * GitHub Actions workflow commands, one per finding:
 * `::error file=manifests/app.yaml,line=12,col=3,title=sts-service::message`, then the summary line.
 */
import type { LintReport } from '../core/types';
import { relativePath } from './paths';
import { notesOf, summaryLine } from './summary';

/** Escaping of a command's message, as GitHub's toolkit does it. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a command's property values, which also may not hold `:` or `,`. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubOptions {
  /** Directory absolute file paths are made relative to (the repository root). @default process.cwd() */
  readonly root?: string;
}

export function formatGithub(report: LintReport, options: GithubOptions = {}): string {
  const root = options.root ?? process.cwd();
  const lines = report.findings.map((finding) => {
    const properties = [
      `file=${escapeProperty(relativePath(finding.file, root))}`,
      `line=${finding.line}`,
      `col=${finding.column}`,
      `title=${escapeProperty(finding.rule)}`,
    ].join(',');
    return `::${finding.severity} ${properties}::${escapeData(finding.message)}`;
  });
  for (const note of notesOf(report)) lines.push(`::notice::${escapeData(note)}`);
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
