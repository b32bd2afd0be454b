import * as vscode from 'vscode';
import type { ComplianceSummary } from '../../server/src/engine/index.js';
import { ShowRequirementsCommand } from '../../server/src/lsp/protocol.js';

/** The active file's compliance summary in the status bar; hidden for files that are not ours. */
export class SummaryStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('zorgtoets.summary', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'zorgtoets';
    this.item.command = ShowRequirementsCommand;
  }

  show(summary: ComplianceSummary | undefined): void {
    if (!summary) {
      this.item.hide();
      return;
    }
    const icon = summary.errors > 0 ? '$(error)' : summary.warnings > 0 ? '$(warning)' : '$(pass)';
    this.item.text = `${icon} ${summary.text}`;
    this.item.tooltip = vscode.l10n.t('zorgtoets: show the requirements of this form');
    this.item.backgroundColor = summary.errors > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
