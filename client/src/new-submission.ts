import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FormsRequest, TemplateRequest, type FormInfo, type TemplateResult } from '../../server/src/lsp/protocol.js';

/** "New submission": pick a form, and open its template (every declaration asked, none answered) as a new file. */
export async function newSubmission(client: LanguageClient): Promise<void> {
  const forms = await client.sendRequest<FormInfo[]>(FormsRequest, {});
  if (forms.length === 0) {
    void vscode.window.showErrorMessage(vscode.l10n.t('zorgtoets knows no forms.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    forms.map((f) => ({ label: f.form, description: f.title, detail: vscode.l10n.t('Contract years: {0}', f.years.join(', ')), form: f.form })),
    { title: vscode.l10n.t('zorgtoets: new submission'), placeHolder: vscode.l10n.t('Choose the form') },
  );
  if (!picked) return;
  const template = await client.sendRequest<TemplateResult | null>(TemplateRequest, { form: picked.form });
  if (!template) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No template for {0}.', picked.form));
    return;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: template.text });
  await vscode.window.showTextDocument(document);
}
