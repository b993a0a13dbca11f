import * as path from 'node:path';

/**
 * A finding's file as a relative, forward-slash path (what SARIF and GitHub annotations need to match files in
 * the repository); absolute paths are made relative to `root`.
 */
export function relativePath(file: string, root: string): string {
  const relative = path.isAbsolute(file) ? path.relative(root, file) : file;
  return relative.split(path.sep).join('/').replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
