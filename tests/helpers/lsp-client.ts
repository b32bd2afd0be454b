import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { ROOT } from './engine.js';
import { SERVER_NODE_FLAGS } from '../../server/src/lsp/launch.js';

/**
 * A minimal LSP client over stdio for tests and the benchmark: spawns the BUNDLED server
 * (dist/server.cjs) as VS Code would, and waits for specific messages instead of sleeping.
 */

export interface Publish {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
  at: number;
}

export const SERVER = join(ROOT, 'dist', 'server.cjs');

export class LspClient {
  readonly child: ChildProcess;
  readonly connection: MessageConnection;
  readonly publishes: Publish[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** `client/registerCapability` requests the server sent (e.g. file watchers). */
  readonly registrations: { id: string; method: string; registerOptions?: unknown }[] = [];
  private waiters: { test: (p: Publish) => boolean; resolve: (p: Publish) => void }[] = [];
  private stderr = '';
  exitCode: number | null | undefined;

  /** `stdio` as most clients do; `ipc` as VS Code starts the server (TransportKind.ipc). */
  constructor(transport: 'stdio' | 'ipc' = 'stdio') {
    // ZT_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/p": Node flags for the server, to find
    // where a benchmark's time or memory goes (a CPU profile, a heap snapshot on a signal).
    // The server starts with the flags the VS Code client gives it (launch.ts), and these.
    const flags = [...SERVER_NODE_FLAGS, ...(process.env['ZT_SERVER_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '')];
    this.child = spawn(process.execPath, [...flags, SERVER, transport === 'ipc' ? '--node-ipc' : '--stdio'], { stdio: ['pipe', 'pipe', 'pipe', ...(transport === 'ipc' ? (['ipc'] as const) : [])] });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-20000);
    });
    this.child.on('exit', (code) => {
      this.exitCode = code;
    });
    this.connection =
      transport === 'ipc'
        ? createMessageConnection(new IPCMessageReader(this.child), new IPCMessageWriter(this.child))
        : createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      const publish: Publish = { ...params, at: performance.now() };
      this.publishes.push(publish);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(publish)) return true;
        w.resolve(publish);
        return false;
      });
    });
    this.connection.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    this.connection.onRequest('client/registerCapability', (params: { registrations: { id: string; method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    this.connection.onRequest(() => null);
    this.connection.listen();
  }

  get log(): string {
    const logs = this.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    return [...logs, this.stderr].join('\n');
  }

  /**
   * `workspaceFolders` (file uris) opens a workspace as VS Code does, with the file watchers it
   * supports (dynamic registration, relative patterns).
   */
  async initialize(initializationOptions: Record<string, unknown> = {}, rootUri: string | null = null, workspaceFolders?: string[]): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: rootUri ?? workspaceFolders?.[0] ?? null,
      ...(workspaceFolders ? { workspaceFolders: workspaceFolders.map((uri, i) => ({ uri, name: `map${i + 1}` })) } : {}),
      capabilities: {
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown'] }, documentSymbol: { hierarchicalDocumentSymbolSupport: true } },
        workspace: {
          configuration: false,
          ...(workspaceFolders ? { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } : {}),
        },
      },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The first publish for `uri` matching `test`, including ones already received after index `from`. */
  waitForDiagnostics(uri: string, test: (p: Publish) => boolean = () => true, options: { from?: number; timeoutMs?: number } = {}): Promise<Publish> {
    const from = options.from ?? 0;
    const seen = this.publishes.slice(from).find((p) => p.uri === uri && test(p));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no diagnostics for ${uri} within ${options.timeoutMs ?? 30000} ms (exit ${String(this.exitCode)})\n${this.log}`));
      }, options.timeoutMs ?? 30000);
      const done = (p: Publish) => {
        clearTimeout(timer);
        resolve(p);
      };
      this.waiters.push({ test: (p) => p.uri === uri && test(p), resolve: done });
    });
  }

  waitForVersion(uri: string, version: number, timeoutMs?: number): Promise<Publish> {
    return this.waitForDiagnostics(uri, (p) => p.version === version, timeoutMs === undefined ? {} : { timeoutMs });
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  /**
   * didOpen written as raw bytes, so the text can hold what no JSON string can: invalid UTF-8.
   * `before` + `bytes` + `after` is the document's text (escaped for JSON, except `bytes`).
   */
  openRaw(uri: string, before: string, bytes: Buffer, after: string, version = 1): void {
    const head = JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version, text: '\u0000' } } });
    const [open, close] = head.split('\\u0000') as [string, string];
    const body = Buffer.concat([Buffer.from(open + JSON.stringify(before).slice(1, -1), 'utf8'), bytes, Buffer.from(JSON.stringify(after).slice(1, -1) + close, 'utf8')]);
    this.child.stdin?.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /** A file changed on disk, as the client's file watcher reports it (1 created, 2 changed, 3 deleted). */
  fileChanged(uri: string, type: 1 | 2 | 3 = 2): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type }] });
  }

  /** The latest diagnostics published for `uri`, if any. */
  latest(uri: string): Publish | undefined {
    return this.publishes.filter((p) => p.uri === uri).at(-1);
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /** Shuts the server down as a client does; kills it if it does not exit in time. Returns its exit code. */
  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => {
      if (this.exitCode !== undefined) resolve(this.exitCode);
      else this.child.once('exit', (code) => resolve(code));
    });
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), delay(10000)]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server is gone already; the exit code tells.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10000);
    const code = await exited;
    clearTimeout(timer);
    this.connection.dispose();
    return code;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
