import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ProcessGroups } from './processes.js';

/**
 * One code-server for one test run: its own user-data and extensions folders (nothing from the
 * machine's VS Code or code-server state), the VSIX installed with `--install-extension` as a
 * user would, bound to 127.0.0.1 on a free port, no authentication, no telemetry or update check.
 */
export interface CodeServerOptions {
  /** code-server's entry point (…/node_modules/code-server/out/node/entry.js). */
  entry: string;
  vsix: string;
  /** A fresh folder for this run: user data, extensions, workspace, config. */
  runDir: string;
  /** Files copied into the workspace folder: target name → source path. */
  workspaceFiles: Record<string, string>;
  /** code-server's own output goes here. */
  logFile: string;
  groups: ProcessGroups;
}

/** User settings that keep the workbench quiet and predictable for a test. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'files.autoSave': 'off',
  // Suggestions only when asked (Ctrl+Space), so typing never picks one by accident.
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  // Only the extension's completions (no words picked from the open files).
  'editor.wordBasedSuggestions': 'off',
  'editor.formatOnSave': false,
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
};

export class CodeServer {
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspace: string;

  private constructor(
    private readonly options: CodeServerOptions,
    readonly port: number,
    private readonly pid: number,
  ) {
    this.userDataDir = join(options.runDir, 'user-data');
    this.extensionsDir = join(options.runDir, 'extensions');
    this.workspace = join(options.runDir, 'workspace');
  }

  /** The workbench with the workspace folder open. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(this.workspace)}`;
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const userDataDir = join(options.runDir, 'user-data');
    const extensionsDir = join(options.runDir, 'extensions');
    const workspace = join(options.runDir, 'workspace');
    for (const dir of [join(userDataDir, 'User'), extensionsDir, workspace]) mkdirSync(dir, { recursive: true });
    for (const [name, source] of Object.entries(options.workspaceFiles)) cpSync(source, join(workspace, name));
    writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(QUIET_SETTINGS, null, 2)}\n`);

    const install = spawnSync(process.execPath, [options.entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', options.vsix], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    writeFileSync(options.logFile, `$ code-server --install-extension ${options.vsix}\n${install.stdout}${install.stderr}\n`);
    if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
      throw new Error(`code-server could not install ${options.vsix} (exit ${install.status}):\n${install.stdout}${install.stderr}`);
    }

    const port = await freePort();
    // Our own config file: code-server would otherwise create ~/.config/code-server/config.yaml.
    const config = join(options.runDir, 'code-server.yaml');
    writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    const log = openSync(options.logFile, 'a');
    const child = spawn(
      process.execPath,
      [
        options.entry,
        '--config', config,
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        workspace,
      ],
      // Its own process group: the extension hosts and the language servers it starts are in it,
      // so one signal to the group ends them all.
      { detached: true, stdio: ['ignore', log, log], env: serverEnvironment() },
    );
    if (child.pid === undefined) throw new Error('code-server did not start');
    options.groups.add(child.pid, 'code-server');
    child.unref();
    const server = new CodeServer(options, port, child.pid);
    try {
      await waitForHealth(port, 120_000, () => child.exitCode !== null);
    } catch (error) {
      await server.stop();
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- code-server log ---\n${readFileSync(options.logFile, 'utf8')}`);
    }
    return server;
  }

  /** The installed extension's manifest (what the VSIX contributes). */
  installedManifest(): { version: string; contributes?: { commands?: { command: string; title: string }[] } } {
    const folder = readdirSync(this.extensionsDir).find((name) => name.startsWith('zorgtoets.zorgtoets-'));
    if (!folder) throw new Error(`the zorgtoets extension is not in ${this.extensionsDir}`);
    return JSON.parse(readFileSync(join(this.extensionsDir, folder, 'package.json'), 'utf8')) as ReturnType<CodeServer['installedManifest']>;
  }

  /** code-server's logs folder: the extension host's log and the zorgtoets output channel are below it. */
  get logsDir(): string {
    return join(this.userDataDir, 'logs');
  }

  async stop(): Promise<void> {
    await this.options.groups.end(this.pid, 5000);
  }
}

/** The environment without what would change the product's defaults (ZORGTOETS_LANG=en). */
function serverEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ZORGTOETS_LANG;
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

async function waitForHealth(port: number, timeoutMs: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('code-server exited during start-up');
    const ok = await new Promise<boolean>((resolve) => {
      const request = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on('error', () => resolve(false));
      request.on('timeout', () => {
        request.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on 127.0.0.1:${port} within ${timeoutMs / 1000} s`);
}
