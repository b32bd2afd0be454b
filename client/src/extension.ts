import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  ShowRequirementsCommand,
  StatusNotification,
  SummaryRequest,
  type InitializationOptions,
  type ServerSettings,
  type StatusParams,
  type SummaryResult,
} from '../../server/src/lsp/protocol.js';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/launch.js';
import { exportCommand } from './export-command.js';
import { newSubmission } from './new-submission.js';
import { showRequirements } from './requirements-view.js';
import { SummaryStatusBar } from './status-bar.js';

/**
 * The VS Code extension: starts the bundled language server and shows what it says. No checks
 * here; everything about submissions is the server's (and so the engine's).
 */

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Every YAML document; the server answers only for those with a `formulier:` line.
    documentSelector: [{ language: 'yaml' }],
    synchronize: { configurationSection: 'zorgtoets' },
    initializationOptions: (): InitializationOptions => settingsForServer(),
    middleware: {
      workspace: {
        // Extra schema folders run an organisation's rules: never from an untrusted workspace.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return answers.map((answer, i) => (params.items[i]?.section === 'zorgtoets' ? settingsForServer() : answer));
        },
      },
    },
  };
  client = new LanguageClient('zorgtoets', 'zorgtoets', serverOptions, clientOptions);

  const statusBar = new SummaryStatusBar();
  context.subscriptions.push(statusBar);
  const refreshStatus = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!client || !editor || editor.document.languageId !== 'yaml') return statusBar.show(undefined);
    try {
      const summary = await client.sendRequest<SummaryResult>(SummaryRequest, { uri: editor.document.uri.toString() });
      statusBar.show(summary ?? undefined);
    } catch {
      statusBar.show(undefined);
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('zorgtoets.newSubmission', () => client && newSubmission(client)),
    vscode.commands.registerCommand(ShowRequirementsCommand, (uri?: string) => client && showRequirements(client, uri ?? vscode.window.activeTextEditor?.document.uri.toString())),
    vscode.commands.registerCommand('zorgtoets.restartServer', async () => {
      await client?.restart();
      await refreshStatus();
    }),
    vscode.commands.registerCommand('zorgtoets.export', (uri?: vscode.Uri) => client && exportCommand(client, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('workspace/didChangeConfiguration', { settings: { zorgtoets: settingsForServer() } })),
  );

  await client.start();
  context.subscriptions.push(
    client.onNotification(StatusNotification, (params: StatusParams) => {
      if (vscode.window.activeTextEditor?.document.uri.toString() === params.uri) statusBar.show(params.summary ?? undefined);
    }),
  );
  await refreshStatus();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/**
 * The settings the server reads; extra schema folders (settings and `.zorgtoets.yaml`) only in a
 * trusted workspace. The language
 * and the peildatum go only when the user set them: otherwise the workspace's `.zorgtoets.yaml`
 * decides, as it does for the CLI in CI.
 */
function settingsForServer(): ServerSettings {
  const config = vscode.workspace.getConfiguration('zorgtoets');
  const folders = config.get<string[]>('extraSchemaFolders', []);
  const explicit = <T>(key: string): T | undefined => {
    const set = config.inspect<T>(key);
    return set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
  };
  const taal = explicit<'nl' | 'en'>('taal');
  const peildatum = explicit<string>('peildatum');
  return {
    ...(taal ? { taal } : {}),
    ...(peildatum ? { peildatum } : {}),
    extraSchemaFolders: vscode.workspace.isTrusted ? folders : [],
    // The server enforces it too (server/src/lsp/workspace-trust.ts), also for .zorgtoets.yaml.
    workspaceTrusted: vscode.workspace.isTrusted,
  };
}
