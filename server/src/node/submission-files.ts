/**
 * Which files a folder's check covers, for the CLI (`check <folder>`) and the language server's
 * workspace scan alike, so both compare the same files: YAML files, outside dependency, build and
 * hidden folders.
 */

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

/** A folder a walk does not enter. */
export function skipFolder(name: string): boolean {
  return SKIP_DIRS.has(name) || name.startsWith('.');
}

/** A file name a walk looks at (a submission when it also has a `formulier:` line). */
export function isYamlFile(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}
