/**
 * Reading one input: a regular file, a pipe or FIFO (`<(helm template ...)`), stdin. Never blocks on a FIFO
 * that has no writer, never reads more than the size limit, and says what a file is when it is not UTF-8 text.
 */
import { constants, promises as fs, readFileSync, statSync } from 'node:fs';

/** A path that could not be read at all: the CLI exits 2 with `message`. */
export interface LoadError {
  readonly file: string;
  /** One line that names the file, e.g. `manifests/x.yaml: permission denied`. */
  readonly message: string;
}

/** Text that is not UTF-8: reported as a finding at `line`:`column` of the file. */
export interface NotText {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type Read = { readonly text: string } | { readonly error: LoadError } | { readonly notText: NotText };

/** How long a FIFO may go without a writer before reading it gives up. */
export const DEFAULT_FIFO_WAIT_MS = 3000;

export function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many levels of symbolic links (a symlink loop?)';
    case 'ENOTDIR': return 'not a directory';
    case 'EISDIR': return 'is a directory';
    default: return error instanceof Error ? error.message : String(error);
  }
}

export function loadError(file: string, why: string): LoadError {
  return { file, message: `${file}: ${why}` };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
}

function tooLarge(file: string, size: number, limit: number, atLeast = false): LoadError {
  return loadError(file, `${atLeast ? 'more than ' : ''}${mib(size)} is over the ${mib(limit)} limit for one file; raise it with --max-file-size <MiB>`);
}

/** What kind of special file `stat` describes, for messages (`a character device`). */
export function specialFileKind(stat: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string | undefined {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return undefined;
}

export interface ReadOptions {
  readonly maxFileSize: number;
  readonly fifoWaitMs?: number;
}

/**
 * Why `file` cannot be read synchronously as a small text file (a FIFO would block forever, a device never
 * end), or undefined: for config files, which are read before anything else and are always regular files.
 */
export function notARegularFile(file: string, maxFileSize = 1024 * 1024): string | undefined {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return 'is a directory';
  if (!stat.isFile()) return `is ${specialFileKind(stat) ?? 'not a regular file'}, not a regular file`;
  if (stat.size > maxFileSize) return `${mib(stat.size)} is over the ${mib(maxFileSize)} a config file may have`;
  return undefined;
}

/** Reads a file named on the command line (or found by a walk). */
export async function readInput(file: string, options: ReadOptions): Promise<Read> {
  let stat;
  try {
    // Synchronous: one file at a time anyway, and a round trip through the thread pool per file costs more.
    stat = statSync(file);
  } catch (error) {
    return { error: loadError(file, reason(error)) };
  }
  if (stat.isDirectory()) return { error: loadError(file, 'is a directory') };
  if (stat.isFile()) {
    if (stat.size > options.maxFileSize) return { error: tooLarge(file, stat.size, options.maxFileSize) };
    try {
      // A file in /proc reports size 0 yet has content: read it, the limit still holds.
      const bytes = readFileSync(file);
      if (bytes.length > options.maxFileSize) return { error: tooLarge(file, bytes.length, options.maxFileSize) };
      return decodeText(bytes);
    } catch (error) {
      return { error: loadError(file, reason(error)) };
    }
  }
  if (stat.isFIFO()) return readFifo(file, options);
  const kind = specialFileKind(stat) ?? 'not a regular file';
  return { error: loadError(file, `is ${kind}, not a file of YAML text`) };
}

/**
 * A FIFO or pipe, opened without blocking: `open()` of a FIFO without a writer would wait forever. Reading
 * returns EAGAIN while a writer is connected but silent, and end-of-file while none is: data is awaited until
 * the writer closes, a writer for at most `fifoWaitMs`.
 */
async function readFifo(file: string, options: ReadOptions): Promise<Read> {
  const wait = options.fifoWaitMs ?? DEFAULT_FIFO_WAIT_MS;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { error: loadError(file, reason(error)) };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let writerSeen = false;
  const started = Date.now();
  const buffer = Buffer.alloc(64 * 1024);
  try {
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        writerSeen = true;
        await sleep(5);
        continue;
      }
      if (bytesRead > 0) {
        writerSeen = true;
        size += bytesRead;
        if (size > options.maxFileSize) return { error: tooLarge(file, size, options.maxFileSize, true) };
        chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
        continue;
      }
      if (writerSeen) break;
      if (Date.now() - started >= wait) {
        return { error: loadError(file, `is a FIFO (named pipe) that no program wrote to within ${wait / 1000} s; start the writer first, or pass a regular file`) };
      }
      await sleep(20);
    }
  } catch (error) {
    return { error: loadError(file, reason(error)) };
  } finally {
    await handle.close().catch(() => undefined);
  }
  return decodeText(Buffer.concat(chunks));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads a stream (stdin) up to the limit. */
export async function readStream(stream: NodeJS.ReadableStream, name: string, limit: number): Promise<Read> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return { error: tooLarge(name, size, limit, true) };
      }
      chunks.push(bytes);
    }
  } catch (error) {
    return { error: loadError(name, reason(error)) };
  }
  return decodeText(Buffer.concat(chunks));
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** 1-based line and column of byte `offset` (columns count characters, as YAML positions do). */
function positionOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset);
  let line = 1;
  let lineStart = 0;
  for (let i = before.indexOf(10); i !== -1; i = before.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: before.subarray(lineStart).toString('utf8').length + 1 };
}

/** The first byte that is not part of valid UTF-8. */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      UTF8.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return -1;
}

/**
 * Bytes → text as Kubernetes' reader takes it: UTF-8 (a UTF-8 byte order mark is dropped). Other encodings and
 * invalid bytes are named, never replaced silently.
 */
export function decodeText(bytes: Buffer): Read {
  const startsWith = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  const otherEncoding = (name: string): Read => ({
    notText: { line: 1, column: 1, message: `the file is ${name}, not UTF-8; save it as UTF-8 (e.g. iconv -f ${name.split(' ')[0]} -t UTF-8)` },
  });
  if (startsWith(0x00, 0x00, 0xfe, 0xff) || startsWith(0xff, 0xfe, 0x00, 0x00)) return otherEncoding('UTF-32 text (it starts with a UTF-32 byte order mark)');
  if (startsWith(0xfe, 0xff) || startsWith(0xff, 0xfe)) return otherEncoding('UTF-16 text (it starts with a UTF-16 byte order mark)');
  const body = startsWith(0xef, 0xbb, 0xbf) ? bytes.subarray(3) : bytes;
  if (body.length >= 4 && body.indexOf(0) !== -1) {
    // Every other byte NUL in the first line: UTF-16 without a byte order mark.
    const head = body.subarray(0, Math.min(body.length, 64));
    const evenNul = head.filter((_, i) => i % 2 === 0).every((b) => b === 0);
    const oddNul = head.filter((_, i) => i % 2 === 1).every((b) => b === 0);
    if (evenNul || oddNul) return otherEncoding('UTF-16 text (every other byte is NUL)');
    return { notText: { line: 1, column: 1, message: 'not a text file (it contains NUL bytes); only YAML files can be linted' } };
  }
  try {
    return { text: UTF8.decode(body) };
  } catch {
    const offset = firstInvalidUtf8(body);
    const { line, column } = positionOfByte(body, offset);
    const byte = body[offset].toString(16).toUpperCase().padStart(2, '0');
    return {
      notText: {
        line,
        column,
        message: `invalid UTF-8 (byte 0x${byte}); Kubernetes reads only UTF-8 YAML: save the file as UTF-8 (a Latin-1 file? iconv -f LATIN1 -t UTF-8)`,
      },
    };
  }
}
