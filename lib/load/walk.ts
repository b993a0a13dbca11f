/**
 * Which files a list of paths names: files as given, directories walked for `*.yaml` and `*.yml` (sorted).
 * A walk never leaves the tree it was given: symbolic links to directories are not followed (a link to `/` or a
 * loop would walk the whole filesystem) and special files (FIFOs, devices, sockets) are skipped, both with a note.
 * A path named on the command line is always taken, symlink or not.
 *
 * Synchronous file system calls: a walk makes one at a time anyway, and the first asynchronous call starts Node's
 * thread pool, which costs a one-file run more than its whole walk.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { LoadError, loadError, reason, specialFileKind } from './read';

export const YAML_FILE = /\.ya?ml$/i;
/** Directories a walk does not enter (they are still linted when named explicitly). */
const SKIPPED_DIRECTORY = (name: string): boolean => name.startsWith('.') || name === 'node_modules';

export interface Walk {
  readonly files: string[];
  readonly errors: LoadError[];
  /** Directory symlinks not followed and special files skipped, for the notes of the run. */
  readonly linkedDirectories: string[];
  readonly specialFiles: string[];
  /** Directories already walked, by real path (a directory reached twice is walked once). */
  readonly seen: Set<string>;
}

export function newWalk(): Walk {
  return { files: [], errors: [], linkedDirectories: [], specialFiles: [], seen: new Set() };
}

/** Adds a path named by the user: a file (any name, any kind: the reader decides) or a directory to walk. */
export async function collectGiven(target: string, walk: Walk): Promise<void> {
  let stat;
  try {
    stat = statSync(target);
  } catch (error) {
    walk.errors.push(loadError(target, reason(error)));
    return;
  }
  if (stat.isDirectory()) await walkDirectory(target, walk);
  else walk.files.push(target);
}

async function walkDirectory(directory: string, walk: Walk): Promise<void> {
  let entries: Dirent[];
  try {
    const real = realpathSync.native(directory);
    if (walk.seen.has(real)) return;
    walk.seen.add(real);
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    walk.errors.push(loadError(directory, reason(error)));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORY(entry.name)) await walkDirectory(entryPath, walk);
    } else if (entry.isSymbolicLink()) {
      await linked(entryPath, entry.name, walk);
    } else if (YAML_FILE.test(entry.name)) {
      if (entry.isFile()) walk.files.push(entryPath);
      else walk.specialFiles.push(entryPath);
    }
  }
}

/** A symbolic link met in a walk: a YAML file it points to is read, a directory is not entered. */
async function linked(entryPath: string, name: string, walk: Walk): Promise<void> {
  let stat;
  try {
    stat = statSync(entryPath);
  } catch (error) {
    // A dangling or looping link named like YAML: say so, as for a missing file.
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (YAML_FILE.test(name)) walk.errors.push(loadError(entryPath, missing ? 'a symbolic link to a missing file' : reason(error)));
    return;
  }
  if (stat.isDirectory()) {
    if (!SKIPPED_DIRECTORY(name)) walk.linkedDirectories.push(entryPath);
    return;
  }
  if (!YAML_FILE.test(name)) return;
  if (stat.isFile()) walk.files.push(entryPath);
  else if (specialFileKind(stat)) walk.specialFiles.push(entryPath);
}

function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/** The notes a walk leaves: what it did not read, and how to read it anyway. */
export function walkNotes(walk: Walk): string[] {
  const notes: string[] = [];
  const n = walk.linkedDirectories.length;
  if (n > 0) {
    notes.push(`${n === 1 ? 'a symbolic link' : `${n} symbolic links`} to a directory not followed (${listed(walk.linkedDirectories)}); name the directory to lint it`);
  }
  const m = walk.specialFiles.length;
  if (m > 0) {
    notes.push(`${m === 1 ? 'a special file' : `${m} special files`} (FIFO, device or socket) skipped (${listed(walk.specialFiles)}); name it to read it`);
  }
  return notes;
}
