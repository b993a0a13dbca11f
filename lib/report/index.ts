/** Formatters behind one function; `lint` and `diff` both print through it. */
import type { LintReport, RuleInfo } from '../core/types';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatJunit } from './junit';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export interface FormatOptions {
  /** Rules the SARIF driver describes (the catalogue of lib/rules); rules of findings not listed get a bare entry. */
  readonly rules?: readonly RuleInfo[];
  /** Directory that SARIF and GitHub paths are relative to. @default process.cwd() */
  readonly root?: string;
  readonly toolVersion?: string;
}

export function formatReport(report: LintReport, format: ReportFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, options);
    case 'junit':
      return formatJunit(report);
    case 'github':
      return formatGithub(report, options);
  }
}

export { formatGithub, formatJson, formatJunit, formatSarif, formatText };
export { formatSarifFailure } from './sarif';
export { describeObjectChange, notesOf, summaryLine } from './summary';
