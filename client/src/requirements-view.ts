import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RequirementState } from '../../server/src/engine/index.js';
import { RequirementsRequest, type RequirementsResult } from '../../server/src/lsp/protocol.js';

const ICON: Record<RequirementState, string> = {
  error: '$(error)',
  warning: '$(warning)',
  info: '$(info)',
  met: '$(pass)',
  note: '$(note)',
  unchecked: '$(circle-outline)',
};

/** "Show the requirements of this form": each requirement with its status; choosing one goes to its finding. */
export async function showRequirements(client: LanguageClient, uri: string | undefined): Promise<void> {
  if (!uri) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a zorgtoets file (YAML with formulier:) first.'));
    return;
  }
  const result = await client.sendRequest<RequirementsResult | null>(RequirementsRequest, { uri });
  if (!result) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This file is not a zorgtoets submission (no known formulier: and contractjaar:).'));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    result.requirements.map((r) => ({
      label: `${ICON[r.state]} ${r.id}`,
      description: `${r.stateText} — ${r.title}`,
      detail: r.findings[0]?.message ?? r.source,
      requirement: r,
    })),
    { title: `${result.title} ${result.year}: ${result.summary.text}`, matchOnDescription: true, matchOnDetail: true },
  );
  const finding = picked?.requirement.findings[0];
  if (!finding) return;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const start = new vscode.Position(finding.range.start.line, finding.range.start.character);
  const end = new vscode.Position(finding.range.end.line, finding.range.end.character);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end) });
}
