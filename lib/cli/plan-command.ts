/**
 * `cdk8s-stateful plan OLD NEW`: the membership commands each change of size between two revisions needs, in
 * order, one revision per member (or one for all, where the system's members come and go together). Exit 0 when
 * it printed the plan (or there is none); 2 when it could not run.
 * Whether a change is safe at all is `diff`'s verdict (unsafe-membership-change); plan only says how.
 */
import { planPaths } from '../diff';
import { formatPlanJson, formatPlanText } from '../report/plan';
import { parseCommandArgs } from './args';
import { EXIT_OK, UsageError, type CliIo } from './io';
import { stdinFilename, stdinIfRead } from './settings-flags';

export const PLAN_USAGE = `Usage: cdk8s-stateful plan [options] OLD NEW

Prints the runbook of every membership change between two revisions (files or directories, read as lint
reads them): for each StatefulSet of an identified cluster (etcd, ZooKeeper, KRaft, MongoDB, Cassandra,
RabbitMQ, Redis, Elasticsearch masters) whose replicas change, one revision per member that comes or goes
(Redis Cluster: one revision for all of them, a master and its replicas together), each with the commands
to run before and after applying it. Run diff first: it says whether the change is safe at all.

Options:
  -f, --format FORMAT        text (default) or json (steps as data: exec steps carry their command)
  -n, --namespace NS         namespace of objects that set none (default: default)
      --stdin-filename NAME  the name stdin's documents carry (OLD or NEW may be -)
  -h, --help                 show this help

Exit codes: 0 the plan was printed (also when there is nothing to do), 2 the plan could not be made.
`;

export async function runPlan(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', argv, {
    format: { type: 'string', short: 'f', default: 'text' },
    namespace: { type: 'string', short: 'n' },
    'stdin-filename': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    io.stdout.write(PLAN_USAGE);
    return EXIT_OK;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`plan: unknown format "${format}" (expected text or json)`);
  if (positionals.length !== 2) {
    throw new UsageError(`plan: expected OLD and NEW, got ${positionals.length} path${positionals.length === 1 ? '' : 's'} (see cdk8s-stateful plan --help)`);
  }
  if (values.namespace === '') throw new UsageError('plan: --namespace needs a name');
  const [oldPath, newPath] = positionals;
  const plans = await planPaths(oldPath, newPath, {
    defaultNamespace: values.namespace, stdin: stdinIfRead(positionals, io), stdinName: stdinFilename(values['stdin-filename'], 'plan'),
  });
  io.stdout.write(format === 'json' ? formatPlanJson(plans) : formatPlanText(plans));
  return EXIT_OK;
}
