export const MAIN_USAGE = `Usage: cdk8s-stateful <command> [options]

Commands:
  lint [PATH ...]     lint Kubernetes YAML: files, directories (recursive *.yaml, *.yml), or - for stdin
  diff OLD NEW        report changes the API server will refuse and scale-downs that strand data
  plan OLD NEW        print the membership runbook of every cluster whose size changes
  rules               print the rule catalogue

Options:
  -h, --help          show help (also after a command: cdk8s-stateful lint --help)
  -v, --version       print the version

Exit codes: 0 no errors, 1 errors found, 2 the tool could not do its job.
`;

export const LINT_USAGE = `Usage: cdk8s-stateful lint [options] PATH ...

PATH is a file, a directory (searched recursively for *.yaml and *.yml, skipping dot-directories and
node_modules), or - for stdin.

Options:
  -f, --format FORMAT          text (default), json, sarif, junit or github (workflow annotations)
      --max-warnings N         exit 1 when there are more than N warnings
      --rule ID=SETTING        set a rule to off, warning or error (repeatable; yaml-syntax is never off)
  -c, --config FILE            YAML: { rules: {ID: SETTING}, defaultNamespace, ignoreMissingSchemas,
                               failOnUnknownKinds, failOnWarnings, kubernetesVersion }; flags override it
                               (diff reads it too)
  -n, --namespace NS           namespace of objects that set none (default: default)
      --kubernetes-version V   the Kubernetes API to check against: 1.28 (default) to 1.33
      --ignore-missing-schemas skip kinds without a schema (CRDs) without a note
      --fail-on-unknown-kinds  report kinds without a schema as errors
      --max-file-size MIB      largest file read, in MiB (default 64)
      --stdin-filename NAME    the name findings in stdin's documents carry (default <stdin>)
  -j, --jobs N                 threads in all: N-1 threads parse and schema-check files beside the main
                               thread, which runs the cross-resource rules (default: 1; from 4 MiB in 2 or
                               more files, cores - 1 on more than 2 cores, at most one worker per file);
                               the output is the same
      --default-storage-class NAME|none
                               the cluster's default StorageClass, or none (default: unknown: a claim
                               without a class is judged under both)
      --provisioning-class NAME
                               a StorageClass that provisions on the cluster (repeatable)
      --complete               the paths are the whole set: a Service or PV they name but do not define
                               is an error, not a note
  -h, --help                   show this help

Suppress a rule on one object with the annotation cdk8s-stateful.io/ignore: rule-a,rule-b
Exit codes: 0 no errors (and at most --max-warnings warnings), 1 errors found, 2 the tool could not run.
`;

export const RULES_USAGE = `Usage: cdk8s-stateful rules [--format text|json|markdown]

Prints the rule catalogue of lint and diff: id, default severity, the command that reports it, description
(and remediation in json and markdown).
`;
