/**
 * One fuzz case through the CLI, in-process: `lint --format json -` twice and `lint -` once on the same text.
 * Returns what broke the contract of issue 14 (empty when the case passed).
 */
import { Readable } from 'node:stream';
import { runCli } from '../../lib/cli/run-cli';

/** Words that mean a value leaked into a message unformatted (unless the input itself has them). */
const LEAKS = ['undefined', 'NaN', '[object Object]', 'function ', 'Symbol(', 'Infinity'];
/** Longer than this, a message echoes input it should have shortened. */
export const MAX_MESSAGE_LENGTH = 1500;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: string[], text: string): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([Buffer.from(text)]),
    isTTY: false,
    env: {},
  });
  return { code, stdout, stderr };
}

interface JsonFinding {
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** 1-based line lengths of `text` as the loader counts them (lines end at \n). */
function lineLengths(text: string): number[] {
  return text.split('\n').map((line) => line.length);
}

/** `repeat`: run the JSON output twice and compare (determinism); the fuzz run does it for a share of cases. */
export async function checkCase(text: string, repeat = true): Promise<string[]> {
  const first = await run(['lint', '--format', 'json', '-'], text);
  const second = repeat ? await run(['lint', '--format', 'json', '-'], text) : first;
  const plain = await run(['lint', '-'], text);
  return judge(text, first, second, plain);
}

/** What the three runs of one case (JSON, JSON again, text) break of the contract. */
export function judge(text: string, first: Run, second: Run, plain: Run): string[] {
  const problems: string[] = [];
  for (const [name, result] of [['json', first], ['text', plain]] as const) {
    if (![0, 1, 2].includes(result.code)) problems.push(`${name}: exit code ${result.code}`);
    if (/internal error|Error:|at .*\(.*:\d+:\d+\)/.test(result.stderr)) problems.push(`${name}: stderr ${result.stderr.slice(0, 300)}`);
  }
  if (first.stdout !== second.stdout || first.code !== second.code) problems.push('json: different output on the second run');
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(plain.stdout)) problems.push('text: a control character reaches the terminal');
  if (first.code === 2) return problems;
  let findings: JsonFinding[];
  try {
    findings = (JSON.parse(first.stdout) as { findings: JsonFinding[] }).findings;
  } catch {
    return [...problems, `json: stdout is not JSON: ${first.stdout.slice(0, 200)}`];
  }
  const lengths = lineLengths(text.startsWith('\ufeff') ? text.slice(1) : text);
  for (const finding of findings) {
    const where = `${finding.line}:${finding.column} ${finding.message.slice(0, 200)}`;
    if (!(Number.isInteger(finding.line) && finding.line >= 1 && finding.line <= lengths.length)) {
      problems.push(`position outside the file (${lengths.length} lines): ${where}`);
    } else if (!(Number.isInteger(finding.column) && finding.column >= 1 && finding.column <= lengths[finding.line - 1] + 1)) {
      problems.push(`position past the end of line ${finding.line} (${lengths[finding.line - 1]} characters): ${where}`);
    }
    for (const leak of LEAKS) {
      if (finding.message.includes(leak) && !text.includes(leak.trim())) problems.push(`message has "${leak}": ${where}`);
    }
    if (finding.message.length > MAX_MESSAGE_LENGTH) problems.push(`message of ${finding.message.length} characters: ${where}`);
  }
  return problems;
}
