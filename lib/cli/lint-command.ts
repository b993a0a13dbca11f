/** `cdk8s-stateful lint`: options → engine → formatter → exit code. */
import { catalogueOf } from '../core/rule';
import { registry } from '../rules';
import { DEFAULT_MAX_FILE_SIZE } from '../load/load';
import { LintInputError, LintPathsOptions, lintLoaded, loadForLint } from '../lint/run';
import { REPORT_FORMATS, formatReport, isReportFormat } from '../report/index';
import { parseCommandArgs } from './args';
import { CliIo, EXIT_OK, UsageError, exitCode } from './io';
import { tuneForInputSize } from './large-run';
import { Progress } from './progress';
import { SETTINGS_FLAGS, settingsFromFlags, stdinFilename, stdinIfRead } from './settings-flags';
import { LINT_USAGE } from './usage';
import { packageVersion } from './version';

const MIB = 1024 * 1024;

function nonNegativeInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`lint: ${flag} expects a whole number, got "${value}"`);
  return Number(value);
}

export async function runLint(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('lint', args, {
    format: { type: 'string', short: 'f', default: 'text' },
    'max-warnings': { type: 'string' },
    'ignore-missing-schemas': { type: 'boolean' },
    'fail-on-unknown-kinds': { type: 'boolean' },
    ...SETTINGS_FLAGS,
    'max-file-size': { type: 'string' },
    'stdin-filename': { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    'default-storage-class': { type: 'string' },
    'provisioning-class': { type: 'string', multiple: true },
    complete: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(LINT_USAGE);
    return EXIT_OK;
  }
  const format = values.format ?? 'text';
  if (!isReportFormat(format)) {
    throw new UsageError(`lint: unknown format "${format}" (expected ${REPORT_FORMATS.join(', ')})`);
  }
  if (positionals.length === 0) {
    throw new UsageError('lint: no paths given; pass files, directories, or - to read stdin');
  }
  const maxWarnings = values['max-warnings'] === undefined ? undefined : nonNegativeInteger('--max-warnings', values['max-warnings']);
  const maxFileSize = values['max-file-size'] === undefined
    ? DEFAULT_MAX_FILE_SIZE
    : Math.max(1, nonNegativeInteger('--max-file-size', values['max-file-size'])) * MIB;
  const jobs = values.jobs === undefined ? undefined : nonNegativeInteger('--jobs', values.jobs);
  if (values.namespace !== undefined && values.namespace === '') throw new UsageError('lint: --namespace needs a name');

  const catalogue = catalogueOf(registry, 'lint');
  const settings = settingsFromFlags(values, registry, {
    ignoreMissingSchemas: values['ignore-missing-schemas'],
    failOnUnknownKinds: values['fail-on-unknown-kinds'],
    defaultStorageClass: values['default-storage-class'],
    provisioningClasses: values['provisioning-class'],
    complete: values.complete,
  });

  const progress = new Progress(io.stderr, () => io.isTTY, undefined, io.stderrMayBeTTY ?? true);
  const options: LintPathsOptions = {
    ...settings,
    registry,
    maxFileSize,
    jobs,
    stdin: stdinIfRead(positionals, io),
    stdinName: stdinFilename(values['stdin-filename'], 'lint'),
    onFile: (index, total) => progress.update(`cdk8s-stateful lint: reading file ${index + 1} of ${total}`),
    onInputSize: tuneForInputSize,
  };
  let report;
  try {
    const loaded = await loadForLint(positionals, options);
    if (loaded.errors.length > 0) throw new LintInputError(loaded.errors);
    progress.update(`cdk8s-stateful lint: checking ${loaded.documents} documents`);
    report = lintLoaded(loaded, options);
  } finally {
    progress.done();
  }
  io.stdout.write(formatReport(report, format, { rules: catalogue, toolVersion: packageVersion() }));

  return exitCode(report, io, maxWarnings, settings.failOnWarnings);
}
