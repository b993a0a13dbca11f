/**
 * `cdk8s-stateful diff OLD NEW` and `cdk8s-stateful diff --git-base REF PATH...`: report the changes a
 * Kubernetes 1.28 API server would refuse. Exit 0: none; 1: errors found; 2: the diff could not run.
 */
import { catalogueOf } from '../core/rule';
import { diffGitBase, diffPaths, type DiffReport } from '../diff';
import { registry } from '../rules';
import { formatReport, isReportFormat, REPORT_FORMATS } from '../report/index';
import { parseCommandArgs } from './args';
import { EXIT_OK, UsageError, exitCode, type CliIo } from './io';
import { tuneForInputSize } from './large-run';
import { SETTINGS_FLAGS, settingsFromFlags, stdinFilename, stdinIfRead, type SettingsFlagValues } from './settings-flags';
import type { Settings } from '../core/settings';
import { packageVersion } from './version';

export const DIFF_USAGE = `Usage: cdk8s-stateful diff [options] OLD NEW
       cdk8s-stateful diff [options] --git-base REF PATH ...

Compares two revisions of Kubernetes YAML (files or directories, searched as lint does) object by object and
reports the changes a Kubernetes 1.28 API server refuses to apply (immutable-field), and scale-downs and
removals that leave claims or data behind. With --git-base, OLD is each PATH as committed at REF (read with
git, e.g. origin/main) and NEW is the same PATH in the working tree.

Options:
  -f, --format FORMAT      text (default), json, sarif, junit or github (workflow annotations)
      --git-base REF       compare PATH ... at REF with the working tree (a PATH gone from the working tree,
                           or a directory without YAML, is an empty NEW: everything in it was removed)
  -n, --namespace NS       namespace of objects that set none (default: default)
      --kubernetes-version V  the Kubernetes API to check against: 1.28 (default) to 1.33
      --rule ID=SETTING    set a rule to off, warning or error (repeatable; yaml-syntax is never off)
  -c, --config FILE        the settings file of lint (rules, defaultNamespace, failOnWarnings ...); flags override it
      --stdin-filename NAME  the name findings in stdin's documents carry (OLD or NEW may be -)
  -h, --help               show this help

Findings point into NEW (into OLD for removed objects; with --git-base, text output names them REF:path).
OLD's own problems (a YAML syntax error) are notes, not findings: a change that fixes one passes; a warning
names what NEW adds when OLD could not read a document that may have held it.
Exit codes: 0 no errors, 1 errors found, 2 the diff could not run.
`;

interface DiffArgs {
  readonly format: (typeof REPORT_FORMATS)[number];
  readonly stdinName?: string;
  readonly gitBase?: string;
  readonly settings: SettingsFlagValues;
  readonly paths: string[];
}

function parse(argv: string[]): DiffArgs | 'help' {
  const { values, positionals } = parseCommandArgs('diff', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    'git-base': { type: 'string' },
    ...SETTINGS_FLAGS,
    'stdin-filename': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  const format = values.format ?? 'text';
  if (!isReportFormat(format)) {
    throw new UsageError(`diff: unknown format "${format}" (expected ${REPORT_FORMATS.join(', ')})`);
  }
  if (values.namespace === '') throw new UsageError('diff: --namespace needs a name');
  const gitBase = values['git-base'];
  if (gitBase !== undefined) {
    if (gitBase === '') throw new UsageError('diff: --git-base needs a revision, e.g. --git-base origin/main');
    if (positionals.length === 0) throw new UsageError('diff: --git-base REF needs a PATH to compare, e.g. dist/');
  } else if (positionals.length !== 2) {
    throw new UsageError(`diff: expected OLD and NEW, got ${positionals.length} path${positionals.length === 1 ? '' : 's'} ` +
      '(see cdk8s-stateful diff --help)');
  }
  return { format, gitBase, settings: values, paths: positionals, stdinName: stdinFilename(values['stdin-filename'], 'diff') };
}

function compare(args: DiffArgs, settings: Settings, io: CliIo): Promise<DiffReport> {
  const options = { ...settings, registry, stdin: stdinIfRead(args.paths, io), stdinName: args.stdinName, onInputSize: tuneForInputSize };
  if (args.gitBase !== undefined) return diffGitBase(args.gitBase, args.paths, options);
  const [oldPath, newPath] = args.paths;
  return diffPaths(oldPath, newPath, options);
}

/** Runs `diff` with the arguments after the command name; resolves to the exit code. */
export async function runDiff(argv: string[], io: CliIo): Promise<number> {
  const args = parse(argv);
  if (args === 'help') {
    io.stdout.write(DIFF_USAGE);
    return EXIT_OK;
  }
  const settings = settingsFromFlags(args.settings, registry);
  const report = await compare(args, settings, io);
  const rules = catalogueOf(registry, 'diff');
  io.stdout.write(formatReport(report, args.format, { rules, toolVersion: packageVersion() }));
  return exitCode(report, io, undefined, settings.failOnWarnings);
}
