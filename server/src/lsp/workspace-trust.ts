/**
 * Workspace trust, enforced by the server itself. VS Code already withholds the workspace's
 * `zorgtoets.extraSchemaFolders` in an untrusted (restricted-mode) workspace; the server does not
 * rely on that: the client tells it whether the workspace is trusted (`workspaceTrusted`, at start
 * and with every configuration change), and while it is not, the server loads nothing beyond the
 * product's own data — no extra rule folders from any setting, no `extra_regels` from a
 * `.zorgtoets.yaml` (`Workspace` with `trusted: false`). A client that says nothing (other
 * editors, which have no notion of trust) is taken as trusted: its user configured the server.
 *
 * Why: a repository someone sends you can carry a `.zorgtoets.yaml` or `.vscode/settings.json`
 * pointing anywhere on your disk. Rules are data (CEL, no code), evaluated in a worker with time
 * and memory limits, but an untrusted folder should not even decide which files are read.
 */

export function isTrusted(value: unknown): boolean {
  return value !== false;
}

/** The extra rule folders that may be loaded: none while the workspace is not trusted. */
export function allowedExtraFolders(folders: readonly string[], trusted: boolean): string[] {
  return trusted ? [...folders] : [];
}
