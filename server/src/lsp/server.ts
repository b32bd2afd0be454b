import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocumentSyncKind,
  type CodeLens,
  type Connection,
  type FileSystemWatcher,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { basename, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareFindings, complete, DEFAULT_LIMITS, hover, outline, requirementsStatus, type CheckResult, type ComplianceSummary, type Engine, type Finding, type Severity } from '../engine/index.js';
import { CONFIG_FILE } from '../node/config.js';
import { Workspace, type CheckSetup } from '../node/workspace.js';
import { codeActions } from './code-actions.js';
import { toCompletionItem, toDiagnostic, toDocumentSymbol, SOURCE } from './convert.js';
import { DocumentChecks, type CheckedDocument } from './document-checks.js';
import { registerExportRequests } from './export-requests.js';
import { canonicalUri, filePath, WorkspaceFiles } from './workspace-files.js';
import { partyOfCheck, WorkspaceIndex } from './workspace-index.js';
import {
  FormsRequest,
  RequirementsRequest,
  ShowRequirementsCommand,
  StatusNotification,
  SummaryRequest,
  TemplateRequest,
  type DocumentParams,
  type FormInfo,
  type InitializationOptions,
  type RequirementsResult,
  type ServerSettings,
  type StatusParams,
  type SummaryResult,
  type TemplateParams,
  type TemplateResult,
} from './protocol.js';
import { effectiveSettings, type EffectiveSettings } from './settings.js';
import { internalErrorDiagnostic, logEntry, PublishedDiagnostics, type InternalErrorContext } from './internal-errors.js';

/**
 * The language server: a thin adapter from LSP to the engine. Everything that knows about
 * submissions lives in the engine; here are documents, timing, settings and protocol shapes.
 * Every handler is guarded: an exception is logged and answered with nothing, never a crash.
 *
 * Each document is checked with the setup the CLI would use for that file (`.zorgtoets.yaml`
 * through `Workspace`; an explicit editor setting for the language or peildatum wins, the
 * editor's extra folders are added). The workspace's submissions are also compared with each
 * other (`WorkspaceIndex`); those findings are published with each open document's own. Files
 * that are not open get no diagnostics (as usual for a language server): they take part in the
 * comparison, and their findings appear when they are opened.
 */

export interface ServerRuntime {
  /** The engine over the product's data plus an organisation's extra folders and severity overrides. */
  createEngine(options: { extraFolders: string[]; severityOverrides?: Record<string, Severity> }): Engine;
  /** Today's date (YYYY-MM-DD). */
  today(): string;
  name: string;
  version: string;
}

/** Largest number of YAML files a workspace scan looks at. */
const MAX_WORKSPACE_FILES = 5000;
/** Logged when the workspace is (or becomes) untrusted: why an organisation's rules are not applied. */
const UNTRUSTED_LOG = 'werkruimte niet vertrouwd: eigen regelmappen (zorgtoets.extraSchemaFolders, extra_regels) worden genegeerd';

/** The document a request or notification is about, if any. */
function documentOf(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const record = params as { textDocument?: { uri?: unknown }; document?: { uri?: unknown }; uri?: unknown };
  const uri = record.textDocument?.uri ?? record.document?.uri ?? record.uri;
  return typeof uri === 'string' ? uri : undefined;
}

export function startServer(connection: Connection, runtime: ServerRuntime): void {
  const documents = new TextDocuments(TextDocument);
  let init: InitializationOptions = {};
  let rootUris: string[] = [];
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let canWatchRelative = false;
  let settings: EffectiveSettings = effectiveSettings({}, undefined, null);
  let workspace = makeWorkspace();
  /** Engines whose extra-folder problems (and configurations whose ignored rules) were logged already. */
  const reported = new WeakSet<object>();
  /** Extra rule folders in use (settings and `.zorgtoets.yaml`): a change there reloads the rules. */
  const extraFolders = new Set<string>();
  const watchedFolders = new Set<string>();
  /** Open documents by canonical uri → the uri the editor uses. */
  const open = new Map<string, string>();
  /** The last checked version of each open document we published, for publishing it again. */
  const lastPublished = new Map<string, CheckedDocument>();

  const log = (message: string) => connection.console.log(message);
  /** The diagnostics last sent per document, so an internal error is added to them, not instead of them. */
  const published = new PublishedDiagnostics();
  const logError = (during: string, error: unknown) => reportInternal({ during }, error, false);

  /**
   * An internal error: logged with its context and stack; `visible` adds the one ZT-INTERNAL
   * diagnostic to the document (a check whose result already carries its ZT-INTERNAL finding
   * needs none).
   */
  function reportInternal(context: InternalErrorContext, error: unknown, visible = true): void {
    connection.console.error(logEntry(context, error));
    if (!visible || !context.uri) return;
    const { uri } = context;
    try {
      const merged = published.withInternalError(uri, internalErrorDiagnostic(context, error, settings.lang ?? 'nl'));
      published.set(uri, merged.version ?? context.version, merged.diagnostics);
      void connection.sendDiagnostics({ uri, ...(merged.version !== undefined ? { version: merged.version } : context.version !== undefined ? { version: context.version } : {}), diagnostics: merged.diagnostics });
    } catch (sendError) {
      connection.console.error(logEntry({ ...context, during: `melden van een fout bij ${context.during}` }, sendError));
    }
  }

  function makeWorkspace(): Workspace {
    return new Workspace(
      {
        ...(settings.lang ? { lang: settings.lang } : {}),
        ...(settings.peildatum ? { peildatum: settings.peildatum } : {}),
        extraFolders: settings.extraFolders,
        ...(settings.trusted ? {} : { trusted: false }),
      },
      (options) => runtime.createEngine({ extraFolders: options.extraFolders ?? [], ...(options.severityOverrides ? { severityOverrides: options.severityOverrides } : {}) }),
    );
  }

  /** The setup for a file or folder path; problems with extra folders are logged once per engine. */
  function setupForPath(path: string): CheckSetup {
    return noted(workspace.setupFor(path));
  }

  /** The setup of a document: its file's, or (an unsaved buffer) the first workspace folder's. */
  function setupFor(uri: string): CheckSetup {
    const path = filePath(uri);
    if (path) return setupForPath(path);
    const root = rootUris.map(filePath).find((p) => p !== undefined);
    return noted(root ? workspace.setupFor(root) : workspace.defaultSetup());
  }

  /** Setup for requests that have no document (forms, templates). */
  function rootSetup(): CheckSetup {
    return setupFor(rootUris[0] ?? 'untitled:zorgtoets');
  }

  function noted(setup: CheckSetup): CheckSetup {
    if (!reported.has(setup.engine)) {
      reported.add(setup.engine);
      for (const problem of setup.engine.extraProblems()) log(`eigen regels: ${problem.message}`);
    }
    if (!settings.trusted && setup.config.extraFolders.length > 0 && !reported.has(setup.config)) {
      reported.add(setup.config);
      log(`niet-vertrouwde werkruimte: extra_regels uit ${setup.config.path ?? CONFIG_FILE} worden niet gebruikt`);
    }
    for (const folder of setup.config.extraFolders) watchFolder(folder);
    return setup;
  }

  const index = new WorkspaceIndex();
  const files = new WorkspaceFiles(
    { index, setupFor: setupForPath, today: () => runtime.today(), isOpen: (uri) => open.has(uri), log, changed: () => scheduleSettle() },
    { maxBytes: DEFAULT_LIMITS.maxChars, maxFiles: MAX_WORKSPACE_FILES },
  );

  const checks = new DocumentChecks(
    { get: (uri) => { const doc = documents.get(uri); return doc ? { text: doc.getText(), version: doc.version } : undefined; } },
    (uri) => setupFor(uri).engine,
    () => ({
      debounceMs: settings.debounceMs,
      lang: (uri) => setupFor(uri).lang,
      check: (e, text, uri) => {
        const setup = setupFor(uri);
        const crossOptions = { today: runtime.today(), ...(setup.peildatum ? { peildatum: setup.peildatum } : {}) };
        const result = e.check(text, { ...crossOptions, lang: setup.lang, cacheKey: uri });
        try {
          index.update(partyOfCheck(canonicalUri(uri), files.nameOf(uri), result, text, e, setup.lang, crossOptions));
        } catch (error) {
          logError(`vergelijken met de werkruimte (${uri})`, error);
        }
        return result;
      },
    }),
    (doc, clear) => publish(doc, clear),
    (uri, version, error, failed) => reportInternal({ uri, version, during: 'controle' }, error, failed),
  );

  function publish(doc: CheckedDocument, clear: boolean): void {
    if (clear) {
      lastPublished.delete(doc.uri);
      published.set(doc.uri, doc.version, []);
      void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [] });
      void connection.sendNotification(StatusNotification, { uri: doc.uri, version: doc.version, summary: null } satisfies StatusParams);
      return;
    }
    lastPublished.set(doc.uri, doc);
    // The findings across documents as of this check; other documents they changed for follow.
    const changed = settle();
    send(doc);
    republish(changed.filter((uri) => uri !== canonicalUri(doc.uri)));
  }

  /** A document's own findings and those across documents, in the order the CLI prints them. */
  function allFindings(doc: { uri: string; findings: Finding[] }): Finding[] {
    const cross = index.findingsFor(canonicalUri(doc.uri));
    if (cross.length === 0) return doc.findings;
    return [...doc.findings, ...cross].sort(compareFindings);
  }

  /** The summary counting the findings across documents too. */
  function summaryOf(doc: CheckedDocument): ComplianceSummary | null {
    if (!doc.summary) return null;
    const cross = index.findingsFor(canonicalUri(doc.uri));
    if (cross.length === 0) return doc.summary;
    const { engine, lang } = setupFor(doc.uri);
    const counts = engine.summarize(allFindings(doc));
    return { ...doc.summary, ...counts, text: engine.summaryText(counts, lang, doc.summary.form, doc.summary.year) };
  }

  function send(doc: CheckedDocument): void {
    const diagnostics = allFindings(doc).map((f) => toDiagnostic(f, doc.uri));
    published.set(doc.uri, doc.version, diagnostics);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    const status: StatusParams = { uri: doc.uri, version: doc.version, summary: summaryOf(doc) };
    void connection.sendNotification(StatusNotification, status);
  }

  function settle(): string[] {
    try {
      return index.settle();
    } catch (error) {
      logError('controles over bestanden heen', error);
      return [];
    }
  }

  /** Open documents whose findings across documents changed: their last check, with the new ones. */
  function republish(canonicalUris: readonly string[]): void {
    for (const uri of canonicalUris) {
      const editorUri = open.get(uri);
      const doc = editorUri ? lastPublished.get(editorUri) : undefined;
      if (doc) send(doc);
    }
  }

  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Saved files were (re)read: compute the findings across documents once the burst is over. */
  function scheduleSettle(): void {
    if (settleTimer) return;
    settleTimer = setTimeout(() => {
      settleTimer = undefined;
      republish(settle());
    }, 20);
  }

  /** The configuration, the settings or the workspace folders changed: everything anew. */
  function recheckEverything(): void {
    workspace.reset();
    index.clear();
    checks.recheckAll(documents.keys());
    void files.rescan();
  }

  /** Watches an extra rule folder outside the workspace (inside, the YAML watcher sees it). */
  function watchFolder(folder: string): void {
    extraFolders.add(folder);
    if (!canWatchFiles || !canWatchRelative || watchedFolders.has(folder) || files.covers(`${folder}${sep}x.yaml`)) return;
    watchedFolders.add(folder);
    const watcher: FileSystemWatcher = { globPattern: { baseUri: pathToFileURL(folder).href, pattern: '**/*.{yaml,yml}' } };
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [watcher] }).catch((error: unknown) => logError('bestanden volgen', error));
  }

  async function reloadSettings(pushed?: unknown): Promise<boolean> {
    let configured: ServerSettings | null | undefined;
    if (canPullConfiguration) {
      try {
        configured = (await connection.workspace.getConfiguration('zorgtoets')) as ServerSettings | null;
      } catch (error) {
        logError('instellingen ophalen', error);
      }
    } else if (pushed && typeof pushed === 'object' && 'zorgtoets' in pushed) {
      configured = (pushed as { zorgtoets: ServerSettings }).zorgtoets;
    }
    const next = effectiveSettings(init, configured, rootUris[0] ?? null);
    if (!next.trusted && settings.trusted) log(UNTRUSTED_LOG);
    const changed = JSON.stringify(next) !== JSON.stringify(settings);
    settings = next;
    if (changed) {
      workspace = makeWorkspace();
      for (const folder of settings.extraFolders) watchFolder(folder);
      recheckEverything();
    }
    return changed;
  }

  /**
   * Runs a handler; an exception is answered with `fallback`, never thrown at the connection. It
   * is logged with the document it was about, which also gets the visible ZT-INTERNAL diagnostic.
   */
  function guard<P, R>(name: string, fallback: R, handler: (params: P) => R): (params: P) => R {
    return (params: P) => {
      try {
        return handler(params);
      } catch (error) {
        const uri = documentOf(params);
        const version = uri === undefined ? undefined : documents.get(uri)?.version;
        reportInternal({ during: name, ...(uri !== undefined ? { uri } : {}), ...(version !== undefined ? { version } : {}) }, error);
        return fallback;
      }
    };
  }

  function ours(uri: string): CheckedDocument | undefined {
    const checked = checks.current(uri);
    return checked?.ours ? checked : undefined;
  }

  function full(uri: string): CheckResult | undefined {
    const result = checks.currentFull(uri);
    return result?.ours ? result : undefined;
  }

  connection.onInitialize(
    guard('initialize', { capabilities: {} } as InitializeResult, (params: InitializeParams): InitializeResult => {
      init = (params.initializationOptions ?? {}) as InitializationOptions;
      rootUris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
      files.setRoots(rootUris);
      canPullConfiguration = params.capabilities.workspace?.configuration === true;
      canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      canWatchRelative = params.capabilities.workspace?.didChangeWatchedFiles?.relativePatternSupport === true;
      settings = effectiveSettings(init, undefined, rootUris[0] ?? null);
      if (!settings.trusted) log(UNTRUSTED_LOG);
      workspace = makeWorkspace();
      return {
        capabilities: {
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
          hoverProvider: true,
          codeActionProvider: { codeActionKinds: ['quickfix'] },
          documentSymbolProvider: { label: 'zorgtoets' },
          codeLensProvider: { resolveProvider: false },
        },
        serverInfo: { name: runtime.name, version: runtime.version },
      };
    }),
  );

  connection.onInitialized(() => {
    void reloadSettings()
      .then((changed) => {
        // A changed setting rescanned already.
        if (!changed) void files.rescan();
      })
      .catch((error: unknown) => logError('initialized', error));
    try {
      rootSetup();
    } catch (error) {
      logError('zorgtoets kon zijn gegevens niet laden', error);
      void connection.window.showErrorMessage(`zorgtoets: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (canWatchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] })
        .catch((error: unknown) => logError('bestanden volgen', error));
    }
    try {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => f.uri));
        rootUris = [...rootUris.filter((uri) => !removed.has(uri)), ...event.added.map((f) => f.uri)];
        files.setRoots(rootUris);
        recheckEverything();
      });
    } catch {
      // The client has no workspace folders (a single file): nothing to follow.
    }
  });

  connection.onDidChangeWatchedFiles(
    guard('bestanden gewijzigd', undefined, (params) => {
      let configuration = false;
      const changedFiles: { path: string; deleted: boolean }[] = [];
      for (const change of params.changes) {
        const path = filePath(change.uri);
        if (!path) continue;
        if (basename(path) === CONFIG_FILE || [...extraFolders].some((folder) => path.startsWith(`${folder}${sep}`))) configuration = true;
        else if (files.covers(path)) changedFiles.push({ path, deleted: change.type === FileChangeType.Deleted });
      }
      if (configuration) {
        log('configuratie of eigen regels gewijzigd: alles opnieuw');
        recheckEverything();
        return;
      }
      for (const { path, deleted } of changedFiles) {
        const uri = canonicalUri(pathToFileURL(path).href);
        if (open.has(uri)) continue;
        if (deleted) {
          index.remove(uri);
          scheduleSettle();
        } else void files.refresh(path);
      }
    }),
  );

  connection.onDidChangeConfiguration((change) => {
    void reloadSettings(change.settings).catch((error: unknown) => logError('instellingen', error));
  });

  documents.onDidOpen(guard('openen', undefined, (event) => open.set(canonicalUri(event.document.uri), event.document.uri)));
  documents.onDidChangeContent(guard('wijziging', undefined, (event) => checks.schedule(event.document.uri)));
  documents.onDidClose(
    guard('sluiten', undefined, (event) => {
      const uri = event.document.uri;
      const canonical = canonicalUri(uri);
      open.delete(canonical);
      checks.close(uri);
      lastPublished.delete(uri);
      published.delete(uri);
      // From now on the saved file counts, if the workspace has it.
      index.closed(canonical);
      const path = filePath(uri);
      if (path && files.covers(path)) void files.refresh(path);
      else scheduleSettle();
    }),
  );

  connection.onCompletion(
    guard('completion', [], (params) => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return [];
      const text = doc.getText();
      // Completion follows the typing; it reads the text itself and needs no finished check.
      // Other YAML files get nothing from us, not even a suggestion to become ours.
      if (!/^formulier:/m.test(text)) return [];
      const { engine, lang } = setupFor(params.textDocument.uri);
      return complete(engine, text, params.position, lang).map(toCompletionItem);
    }),
  );

  connection.onHover(
    guard('hover', null, (params) => {
      const result = full(params.textDocument.uri);
      if (!result) return null;
      const { engine, lang } = setupFor(params.textDocument.uri);
      const info = hover(engine, { ...result, findings: allFindings({ uri: params.textDocument.uri, findings: result.findings }) }, params.position, lang);
      return info ? { contents: { kind: 'markdown', value: info.markdown }, ...(info.range ? { range: info.range } : {}) } : null;
    }),
  );

  connection.onDocumentSymbol(
    guard('symbols', [], (params) => {
      const result = full(params.textDocument.uri);
      return result ? outline(result.parsed).map(toDocumentSymbol) : [];
    }),
  );

  connection.onCodeAction(
    guard('code actions', [], (params) => {
      const checked = ours(params.textDocument.uri);
      if (!checked) return [];
      const mine = params.context.diagnostics.filter((d) => d.source === SOURCE);
      const { engine, lang } = setupFor(checked.uri);
      return codeActions(engine, checked.uri, checked.version, checked.findings, mine, lang);
    }),
  );

  connection.onCodeLens(
    guard('code lens', [], (params): CodeLens[] => {
      const checked = ours(params.textDocument.uri);
      const summary = checked ? summaryOf(checked) : null;
      if (!checked || !summary) return [];
      return [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          command: { title: `zorgtoets: ${summary.text}`, command: ShowRequirementsCommand, arguments: [checked.uri] },
        },
      ];
    }),
  );

  connection.onRequest(
    SummaryRequest,
    guard('summary', null as SummaryResult, (params: DocumentParams): SummaryResult => {
      const checked = ours(params.uri);
      return checked ? summaryOf(checked) : null;
    }),
  );

  connection.onRequest(
    RequirementsRequest,
    guard('requirements', null as RequirementsResult | null, (params: DocumentParams): RequirementsResult | null => {
      const result = full(params.uri);
      const checked = ours(params.uri);
      const summary = checked ? summaryOf(checked) : null;
      if (!result || !summary || !result.form || result.year === undefined) return null;
      const { engine: e, lang } = setupFor(params.uri);
      return {
        form: result.form,
        year: result.year,
        title: e.forms.manifest(result.form)?.title[lang] ?? result.form,
        summary,
        requirements: requirementsStatus(e, { ...result, findings: allFindings({ uri: params.uri, findings: result.findings }) }, lang),
      };
    }),
  );

  connection.onRequest(
    FormsRequest,
    guard('forms', [] as FormInfo[], (): FormInfo[] => {
      const { engine: e, lang } = rootSetup();
      return e.forms.formIds().map((form) => ({ form, title: e.forms.manifest(form)?.title[lang] ?? form, years: e.forms.years(form) }));
    }),
  );

  connection.onRequest(
    TemplateRequest,
    guard('template', null as TemplateResult | null, (params: TemplateParams): TemplateResult | null => {
      const e = rootSetup().engine;
      const version = e.forms.latest(params.form);
      return version ? { form: params.form, year: version.year, text: e.template(version).text } : null;
    }),
  );

  registerExportRequests(connection, {
    text: (uri) => documents.get(uri)?.getText(),
    setupFor,
    today: () => runtime.today(),
    generator: `${runtime.name} ${runtime.version}`,
    guard,
  });

  documents.listen(connection);
  connection.listen();
}
