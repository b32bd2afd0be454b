import {
  TextDocumentSyncKind,
  type CodeLens,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { complete, hover, outline, requirementsStatus, type CheckResult, type Engine } from '../engine/index.js';
import { codeActions } from './code-actions.js';
import { toCompletionItem, toDiagnostic, toDocumentSymbol, SOURCE } from './convert.js';
import { DocumentChecks, type CheckedDocument } from './document-checks.js';
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
import { internalErrorDiagnostic, logEntry, PublishedDiagnostics, type InternalErrorContext } from './internal-errors.js';
import { effectiveSettings, type EffectiveSettings } from './settings.js';

/**
 * The language server: a thin adapter from LSP to the engine. Everything that knows about
 * submissions lives in the engine; here are documents, timing, settings and protocol shapes.
 * Every handler is guarded: an exception is logged and answered with nothing, never a crash.
 */

export interface ServerRuntime {
  /** The engine over the product's data plus an organisation's extra folders. */
  createEngine(options: { extraFolders: string[] }): Engine;
  /** Today's date (YYYY-MM-DD). */
  today(): string;
  name: string;
  version: string;
}

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
  let rootUri: string | null = null;
  let canPullConfiguration = false;
  let settings: EffectiveSettings = effectiveSettings({}, undefined, null);
  let engine: Engine | undefined;
  let engineFolders = '';

  const published = new PublishedDiagnostics();
  const log = (message: string) => connection.console.log(message);
  const logError = (during: string, error: unknown) => reportInternal({ during }, error, false);

  /** The engine for the current extra folders; rebuilt only when they change. */
  function currentEngine(): Engine {
    const key = JSON.stringify(settings.extraFolders);
    if (!engine || key !== engineFolders) {
      engine?.dispose();
      engine = runtime.createEngine({ extraFolders: settings.extraFolders });
      engineFolders = key;
      for (const problem of engine.extraProblems()) log(`eigen regels: ${problem.message}`);
    }
    return engine;
  }

  const checks = new DocumentChecks(
    { get: (uri) => { const doc = documents.get(uri); return doc ? { text: doc.getText(), version: doc.version } : undefined; } },
    currentEngine,
    () => ({
      debounceMs: settings.debounceMs,
      lang: settings.lang,
      check: (e, text, uri) => e.check(text, { today: runtime.today(), lang: settings.lang, cacheKey: uri, ...(settings.peildatum ? { peildatum: settings.peildatum } : {}) }),
    }),
    (doc, clear) => publish(doc, clear),
    (uri, version, error, failed) => reportInternal({ uri, version, during: 'controle' }, error, failed),
  );

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
      const merged = published.withInternalError(uri, internalErrorDiagnostic(context, error, settings.lang));
      published.set(uri, merged.version ?? context.version, merged.diagnostics);
      void connection.sendDiagnostics({ uri, ...(merged.version !== undefined ? { version: merged.version } : context.version !== undefined ? { version: context.version } : {}), diagnostics: merged.diagnostics });
    } catch (sendError) {
      connection.console.error(logEntry({ ...context, during: `melden van een fout bij ${context.during}` }, sendError));
    }
  }

  function publish(doc: CheckedDocument, clear: boolean): void {
    const diagnostics = clear ? [] : doc.findings.map((f) => toDiagnostic(f, doc.uri));
    published.set(doc.uri, doc.version, diagnostics);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
    const status: StatusParams = { uri: doc.uri, version: doc.version, summary: clear ? null : doc.summary };
    void connection.sendNotification(StatusNotification, status);
  }

  async function reloadSettings(pushed?: unknown): Promise<void> {
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
    const next = effectiveSettings(init, configured, rootUri);
    if (!next.trusted && settings.trusted) log('zorgtoets: werkruimte niet vertrouwd: eigen regelmappen (zorgtoets.extraSchemaFolders, extra_regels) worden genegeerd');
    const changed = JSON.stringify(next) !== JSON.stringify(settings);
    settings = next;
    if (changed) checks.recheckAll(documents.keys());
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
      rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? null;
      canPullConfiguration = params.capabilities.workspace?.configuration === true;
      settings = effectiveSettings(init, undefined, rootUri);
      if (!settings.trusted) log('zorgtoets: werkruimte niet vertrouwd: eigen regelmappen (zorgtoets.extraSchemaFolders, extra_regels) worden genegeerd');
      return {
        capabilities: {
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
    void reloadSettings().catch((error: unknown) => logError('initialized', error));
    try {
      currentEngine();
    } catch (error) {
      logError('zorgtoets kon zijn gegevens niet laden', error);
      void connection.window.showErrorMessage(`zorgtoets: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  connection.onDidChangeConfiguration((change) => {
    void reloadSettings(change.settings).catch((error: unknown) => logError('instellingen', error));
  });

  documents.onDidChangeContent(guard('wijziging', undefined, (event) => checks.schedule(event.document.uri)));
  documents.onDidClose(
    guard('sluiten', undefined, (event) => {
      published.delete(event.document.uri);
      checks.close(event.document.uri);
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
      return complete(currentEngine(), text, params.position, settings.lang).map(toCompletionItem);
    }),
  );

  connection.onHover(
    guard('hover', null, (params) => {
      const result = full(params.textDocument.uri);
      if (!result) return null;
      const info = hover(currentEngine(), result, params.position, settings.lang);
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
      return codeActions(currentEngine(), checked.uri, checked.version, checked.findings, mine, settings.lang);
    }),
  );

  connection.onCodeLens(
    guard('code lens', [], (params): CodeLens[] => {
      const checked = ours(params.textDocument.uri);
      if (!checked?.summary) return [];
      return [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          command: { title: `zorgtoets: ${checked.summary.text}`, command: ShowRequirementsCommand, arguments: [checked.uri] },
        },
      ];
    }),
  );

  connection.onRequest(
    SummaryRequest,
    guard('summary', null as SummaryResult, (params: DocumentParams): SummaryResult => ours(params.uri)?.summary ?? null),
  );

  connection.onRequest(
    RequirementsRequest,
    guard('requirements', null as RequirementsResult | null, (params: DocumentParams): RequirementsResult | null => {
      const result = full(params.uri);
      const checked = ours(params.uri);
      if (!result || !checked?.summary || !result.form || result.year === undefined) return null;
      const e = currentEngine();
      return {
        form: result.form,
        year: result.year,
        title: e.forms.manifest(result.form)?.title[settings.lang] ?? result.form,
        summary: checked.summary,
        requirements: requirementsStatus(e, result, settings.lang),
      };
    }),
  );

  connection.onRequest(
    FormsRequest,
    guard('forms', [] as FormInfo[], (): FormInfo[] => {
      const e = currentEngine();
      return e.forms.formIds().map((form) => ({ form, title: e.forms.manifest(form)?.title[settings.lang] ?? form, years: e.forms.years(form) }));
    }),
  );

  connection.onRequest(
    TemplateRequest,
    guard('template', null as TemplateResult | null, (params: TemplateParams): TemplateResult | null => {
      const e = currentEngine();
      const version = e.forms.latest(params.form);
      return version ? { form: params.form, year: version.year, text: e.template(version).text } : null;
    }),
  );

  documents.listen(connection);
  connection.listen();
}
