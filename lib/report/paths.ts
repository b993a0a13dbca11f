import * as path from 'node:path';

/**
 * A finding's file as a relative, forward-slash path (what SARIF and GitHub annotations need to match files in
 * the repository); absolute paths are made relative to `root`.
 */
export function relativePath(file: string, root: string): string {
  const relative = path.isAbsolute(file) ? path.relative(root, file) : file;
  return relative.split(path.sep).join('/').replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * A file as text output names it: `REF:path` for a finding in a file as committed at a git revision (`diff
 * --git-base`), the path alone otherwise. SARIF and GitHub annotations use the path alone, a file of the repository.
 */
export function shownFile(where: { readonly file: string; readonly revision?: string }): string {
  return where.revision === undefined ? where.file : `${where.revision}:${where.file}`;
}
