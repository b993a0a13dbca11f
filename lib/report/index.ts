/**
 * Formatters behind one function; `lint` and `diff` both print through it. Each formatter is loaded when its format
 * is asked for: a run prints one format, and a one-file lint's cold start has no time for the other four.
 */
import type { LintReport, RuleInfo } from '../core/types';

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

/* eslint-disable @typescript-eslint/no-var-requires */
export function formatReport(report: LintReport, format: ReportFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'text':
      return (require('./text') as typeof import('./text')).formatText(report);
    case 'json':
      return (require('./json') as typeof import('./json')).formatJson(report);
    case 'sarif':
      return (require('./sarif') as typeof import('./sarif')).formatSarif(report, options);
    case 'junit':
      return (require('./junit') as typeof import('./junit')).formatJunit(report);
    case 'github':
      return (require('./github') as typeof import('./github')).formatGithub(report, options);
  }
}
