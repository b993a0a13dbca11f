/**
 * `cdk8s-stateful diff OLD NEW` and `cdk8s-stateful diff --git-base REF PATH...`: report the changes a
 * Kubernetes 1.28 API server would refuse. Exit 0: none; 1: errors found; 2: the diff could not run.
 */
import { catalogueOf } from '../core/rule';
import { diffGitBase, diffPaths, DiffInputError, type DiffReport } from '../diff';
import { registry } from '../rules';
import { formatReport, isReportFormat, REPORT_FORMATS } from '../report/index';
import { parseCommandArgs } from './args';
import { EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, UsageError, type CliIo } from './io';
import { packageVersion } from './version';

export const DIFF_USAGE = `Usage: cdk8s-stateful diff [options] OLD NEW
       cdk8s-stateful diff [options] --git-base REF PATH ...

Compares two revisions of Kubernetes YAML (files or directories, searched as lint does) object by object and
reports the changes a Kubernetes 1.28 API server refuses to apply (immutable-field), and scale-downs and
removals that leave claims or data behind. With --git-base, OLD is each PATH as committed at REF (read with
git, e.g. origin/main) and NEW is the same PATH in the working tree.

Options:
  -f, --format FORMAT     text (default), json, sarif, junit or github (workflow annotations)
      --git-base REF      compare PATH ... at REF with the working tree
  -n, --namespace NS      namespace of objects that set none (default: default)
  -h, --help              show this help

Findings point into NEW (into OLD for removed objects).
Exit codes: 0 no errors, 1 errors found, 2 the diff could not run.
`;

interface DiffArgs {
  readonly format: (typeof REPORT_FORMATS)[number];
  readonly gitBase?: string;
  readonly defaultNamespace?: string;
  readonly paths: string[];
}

function parse(argv: string[]): DiffArgs | 'help' {
  const { values, positionals } = parseCommandArgs('diff', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    'git-base': { type: 'string' },
    namespace: { type: 'string', short: 'n' },
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
  return { format, gitBase, defaultNamespace: values.namespace, paths: positionals };
}

function compare(args: DiffArgs): Promise<DiffReport> {
  const options = { registry, defaultNamespace: args.defaultNamespace };
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
  let report: DiffReport;
  try {
    report = await compare(args);
  } catch (error) {
    if (!(error instanceof DiffInputError)) throw error;
    io.stderr.write(error.message.split('\n').map((line) => `cdk8s-stateful: diff: ${line}\n`).join(''));
    return EXIT_CANNOT_RUN;
  }
  const rules = catalogueOf(registry, 'diff');
  io.stdout.write(formatReport(report, args.format, { rules, toolVersion: packageVersion() }));
  return report.summary.errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
