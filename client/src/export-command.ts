import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { OutputExistsError, writeFileAtomic } from '../../server/src/export/atomic-write.js';
import { ExportRequest, ExportsRequest, type ExportError, type ExportParams, type ExportResult, type ExportsResult } from '../../server/src/lsp/protocol.js';

/**
 * "zorgtoets: Export…": pick one of the active form's exports, let the server make it from the
 * editor's text (the same bytes as `zorgtoets export`), and save it where the consultant says —
 * never over an existing file without asking, and atomically (a temporary file, then its name).
 * A submission with errors is not exported unless the consultant chooses "Toch exporteren
 * (concept)", which marks every page and sheet. Progress shows when an export takes a while.
 */

const SLOW_MS = 400;

const FORMAT_NAMES: Record<string, string> = { xlsx: 'Excel', docx: 'Word', pdf: 'PDF', csv: 'CSV', md: 'Markdown' };

export async function exportCommand(client: LanguageClient, uri?: vscode.Uri): Promise<void> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'yaml') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a zorgtoets file (YAML with formulier:) first.'));
    return;
  }
  const documentUri = document.uri.toString();
  const offered = await client.sendRequest<ExportsResult | null>(ExportsRequest, { uri: documentUri });
  if (!offered || offered.exports.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This file is not a zorgtoets submission (no known formulier: and contractjaar:).'));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    offered.exports.flatMap((kind) =>
      kind.formats.map((format) => ({ label: `${kind.title} — ${FORMAT_NAMES[format] ?? format}`, description: `${kind.name}.${format}`, exportKind: kind.name, format })),
    ),
    { title: vscode.l10n.t('zorgtoets: export {0}', offered.title), placeHolder: vscode.l10n.t('Choose what to export') },
  );
  if (!picked) return;

  const request = (force: boolean) =>
    withSlowProgress(vscode.l10n.t('zorgtoets: exporting {0}…', picked.label), () =>
      client.sendRequest<ExportResult>(ExportRequest, { uri: documentUri, kind: picked.exportKind, format: picked.format, force } satisfies ExportParams),
    );
  let result = await request(false);
  if (!result.ok && result.reason === 'errors') {
    const force = vscode.l10n.t('Toch exporteren (concept)');
    const show = vscode.l10n.t('Show the errors');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} does not meet every minimum requirement: {1} error(s). It is not exported.', basename(document.uri), result.errors.length),
      { modal: true, detail: describeErrors(result.errors) },
      // The first button is the default one (Enter): looking at the errors, never a draft export.
      show,
      force,
    );
    if (choice === show) await revealFirst(document, result.errors);
    if (choice !== force) return;
    result = await request(true);
  }
  if (!result.ok) {
    void vscode.window.showErrorMessage(`zorgtoets: ${result.message}`);
    return;
  }

  const target = await vscode.window.showSaveDialog({
    ...(result.defaultUri ? { defaultUri: vscode.Uri.parse(result.defaultUri) } : {}),
    filters: { [FORMAT_NAMES[result.format] ?? result.format]: [result.format] },
    saveLabel: vscode.l10n.t('Export'),
    title: vscode.l10n.t('zorgtoets: save the export'),
  });
  if (!target) return;
  const bytes = Buffer.from(result.data, 'base64');
  if (!(await save(target, bytes))) return;

  if (result.errors.length > 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Exported as a draft with {0} error(s): every page and sheet is marked "concept — voldoet niet aan alle minimumeisen".', result.errors.length));
  }
  await open(target, result.format);
}

/** Runs a request; when it takes longer than a moment, a progress notification shows until it is done. */
async function withSlowProgress<T>(title: string, task: () => Promise<T>): Promise<T> {
  const running = task();
  const settled = running.then(
    () => true,
    () => true,
  );
  const quick = await Promise.race([settled, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SLOW_MS))]);
  if (quick) return running;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => running);
}

function describeErrors(errors: readonly ExportError[]): string {
  const shown = errors.slice(0, 12).map((e) => `${vscode.l10n.t('line {0}', e.range.start.line + 1)}  ${e.id}  ${e.message}`);
  if (errors.length > shown.length) shown.push(vscode.l10n.t('… and {0} more', errors.length - shown.length));
  return shown.join('\n');
}

async function revealFirst(document: vscode.TextDocument, errors: readonly ExportError[]): Promise<void> {
  const first = errors[0];
  if (!first) return;
  const range = new vscode.Range(first.range.start.line, first.range.start.character, first.range.end.line, first.range.end.character);
  await vscode.window.showTextDocument(document, { selection: range });
  await vscode.commands.executeCommand('workbench.actions.view.problems');
}

/** Writes the export; asks before replacing a file. False when nothing was written (declined or failed). */
async function save(target: vscode.Uri, bytes: Uint8Array): Promise<boolean> {
  const replace = async () => {
    const yes = vscode.l10n.t('Replace');
    return (await vscode.window.showWarningMessage(vscode.l10n.t('{0} already exists. Replace it?', basename(target)), { modal: true }, yes)) === yes;
  };
  let overwrite = await exists(target);
  if (overwrite && !(await replace())) return false;
  try {
    try {
      await writeAtomically(target, bytes, overwrite);
    } catch (error) {
      // Created meanwhile: ask, as for any existing file.
      if (!(error instanceof OutputExistsError) || !(await replace())) throw error;
      overwrite = true;
      await writeAtomically(target, bytes, overwrite);
    }
    return true;
  } catch (error) {
    if (error instanceof OutputExistsError) return false;
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}: {1}. No (partial) file was left behind.', target.fsPath || target.toString(), error instanceof Error ? error.message : String(error)));
    return false;
  }
}

async function exists(target: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(target);
    return true;
  } catch {
    return false;
  }
}

/**
 * On disk through the product's atomic writer (temporary file, flushed, then linked or renamed);
 * elsewhere (a remote or virtual file system) as close as its API allows: a temporary sibling,
 * then a rename.
 */
async function writeAtomically(target: vscode.Uri, bytes: Uint8Array, overwrite: boolean): Promise<void> {
  if (target.scheme === 'file') {
    await writeFileAtomic(target.fsPath, bytes, { overwrite });
    return;
  }
  const temp = target.with({ path: `${target.path.replace(/[^/]*$/, '')}.${basename(target)}.zorgtoets-${Date.now().toString(36)}.tmp` });
  try {
    await vscode.workspace.fs.writeFile(temp, bytes);
    await vscode.workspace.fs.rename(temp, target, { overwrite });
  } catch (error) {
    try {
      await vscode.workspace.fs.delete(temp);
    } catch {
      // Nothing was left (the write itself failed).
    }
    if (!overwrite && (await exists(target))) throw new OutputExistsError(target.toString());
    throw error;
  }
}

/** Text formats open in the editor; documents and spreadsheets in the application that handles them. */
async function open(target: vscode.Uri, format: string): Promise<void> {
  if (format === 'md' || format === 'csv') {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
    return;
  }
  // In the browser (code-server, vscode.dev) and remote windows, openExternal on a file would
  // navigate the page away from the workbench; there the message with the path is the answer.
  const local = vscode.env.uiKind !== vscode.UIKind.Web && !vscode.env.remoteName;
  const opened = local && (await vscode.env.openExternal(target));
  if (!opened) void vscode.window.showInformationMessage(vscode.l10n.t('Exported to {0}.', target.fsPath || target.toString()));
}

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.toString();
}
