/** `cdk8s-stateful rules`: the catalogue as a table, JSON, or the Markdown table of the README. */
import { catalogueOf } from '../core/rule';
import { registry } from '../rules';
import type { RuleInfo } from '../core/types';
import { parseCommandArgs } from './args';
import { CliIo, EXIT_OK, UsageError } from './io';
import { RULES_USAGE } from './usage';

/** Which command reports a rule of this phase. */
function command(rule: RuleInfo): string {
  if (rule.phase === 'revision') return 'diff';
  return rule.phase === 'document' ? 'lint, diff' : 'lint';
}

function textTable(rules: readonly RuleInfo[]): string {
  const rows = [
    ['RULE', 'SEVERITY', 'COMMAND', 'DESCRIPTION'],
    ...rules.map((rule) => [rule.id, rule.severity, command(rule), rule.description]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => [...widths.map((width, i) => row[i].padEnd(width)), row[3]].join('  ')).join('\n') + '\n';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(rules: readonly RuleInfo[]): string {
  const lines = [
    '| Rule | Severity | Command | Checks | Remediation |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((rule) =>
      `| \`${rule.id}\` | ${rule.severity} | ${command(rule)} | ${cell(rule.description)} | ${cell(rule.remediation)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function runRules(args: string[], io: CliIo): number {
  const { values, positionals } = parseCommandArgs('rules', args, {
    format: { type: 'string', short: 'f', default: 'text' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(RULES_USAGE);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`rules: unexpected argument ${positionals[0]}`);
  const rules = catalogueOf(registry);
  switch (values.format) {
    case 'text':
      io.stdout.write(textTable(rules));
      return EXIT_OK;
    case 'json':
      io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
      return EXIT_OK;
    case 'markdown':
      io.stdout.write(markdownTable(rules));
      return EXIT_OK;
    default:
      throw new UsageError(`rules: unknown format "${values.format}" (expected text, json or markdown)`);
  }
}
