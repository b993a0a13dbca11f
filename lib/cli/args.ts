/** node:util parseArgs, with its errors turned into one-line usage errors. */
import { ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'([^']+)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`${command}: unknown option ${option} (see cdk8s-stateful ${command} --help)`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const long = /(--[\w-]+)/.exec(message)?.[1];
      const missing = /argument missing/.test(message);
      const noValue = /does not take an argument/.test(message);
      if (/argument is ambiguous/.test(message)) {
        const short = options[long?.slice(2) ?? '']?.short;
        const value = args[args.findIndex((arg) => arg === long || (short !== undefined && arg === `-${short}`)) + 1];
        throw new UsageError(`${command}: ${long} ${value}: a value starting with "-" must be written ${long}=${value}`);
      }
      throw new UsageError(`${command}: ${missing ? `${long} needs a value` : noValue ? `${long} takes no value` : message}`);
    }
    throw new UsageError(`${command}: ${message}`);
  }
}
