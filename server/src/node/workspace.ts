import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SeverityOverrideError, type CheckOptions, type CheckResult, type Deviation, type Engine, type Finding, type Lang, type Summary } from '../engine/index.js';
import { ConfigError, configFor, loadConfig, type ZorgtoetsConfig } from './config.js';
import { createNodeEngine, type NodeEngineOptions } from './create-engine.js';
import { readSubmission } from './read-submission.js';

/**
 * What the CLI and the language server share to agree on findings: the configuration that applies
 * to a file (`.zorgtoets.yaml`), the engine for it (the organisation's extra folders and severity
 * overrides), and the check options (language, peildatum). Personal choices — command-line flags,
 * the ZORGTOETS_LANG variable, an editor setting — override the file.
 */

export interface Preferences {
  /** The person's language (flag, environment, editor setting): wins over the file's `taal`. */
  lang?: Lang;
  /** A reference date given for this run: wins over the file's `peildatum`. */
  peildatum?: string;
  /** Use this configuration file instead of looking for one. */
  configPath?: string;
  /** Extra rule folders of the person (an editor setting): added after the file's `extra_regels`. */
  extraFolders?: string[];
  /**
   * False for an untrusted workspace (the language server in VS Code's restricted mode): a
   * `.zorgtoets.yaml`'s `extra_regels` and `ernst` are then not used. Default true (the CLI: run on purpose).
   */
  trusted?: boolean;
}

/** Makes an engine; the language server passes its own (tests inject failures through it). */
export type EngineFactory = (options: NodeEngineOptions) => Engine;

export interface CheckSetup {
  engine: Engine;
  config: ZorgtoetsConfig;
  lang: Lang;
  peildatum?: string;
}

/** Engines and configurations by folder, cached: one engine per configuration file. */
export class Workspace {
  private readonly engines = new Map<string, Engine>();
  private readonly configs = new Map<string, ZorgtoetsConfig>();
  private fixedConfig: ZorgtoetsConfig | undefined;

  constructor(
    private readonly preferences: Preferences = {},
    private readonly createEngine: EngineFactory = createNodeEngine,
  ) {}

  /** The configuration, engine and options for a file or folder. Throws ConfigError for a bad file. */
  setupFor(path: string): CheckSetup {
    const config = this.configAt(path);
    const engine = this.engineFor(config);
    const peildatum = this.preferences.peildatum ?? config.peildatum;
    return { engine, config, lang: this.preferences.lang ?? config.taal ?? 'nl', ...(peildatum ? { peildatum } : {}) };
  }

  /** The setup for a document that is not a file (an unsaved editor buffer): no configuration file. */
  defaultSetup(): CheckSetup {
    if (this.preferences.configPath) return this.setupFor(this.preferences.configPath);
    const config: ZorgtoetsConfig = { extraFolders: [], ernst: {} };
    const peildatum = this.preferences.peildatum;
    return { engine: this.engineFor(config), config, lang: this.preferences.lang ?? 'nl', ...(peildatum ? { peildatum } : {}) };
  }

  configAt(path: string): ZorgtoetsConfig {
    if (this.preferences.configPath) {
      this.fixedConfig ??= loadConfig(this.preferences.configPath);
      return this.fixedConfig;
    }
    const dir = folderOf(path);
    let config = this.configs.get(dir);
    if (!config) {
      config = configFor(dir);
      this.configs.set(dir, config);
    }
    return config;
  }

  private engineFor(config: ZorgtoetsConfig): Engine {
    const key = config.path ?? '';
    let engine = this.engines.get(key);
    if (!engine) {
      try {
        // Untrusted: none of the organisation's folders, so none of its IDs to give a severity either.
        const trusted = this.preferences.trusted !== false;
        engine = this.createEngine({ extraFolders: [...new Set([...(trusted ? config.extraFolders : []), ...(this.preferences.extraFolders ?? [])])], severityOverrides: trusted ? config.ernst : {} });
      } catch (error) {
        if (error instanceof SeverityOverrideError) throw new ConfigError(config.path ?? '.zorgtoets.yaml', `ernst.${error.id}`, error.problem);
        throw error;
      }
      this.engines.set(key, engine);
    }
    return engine;
  }

  /**
   * Forgets the configurations and engines read so far: for a long-running adapter (the language
   * server) when a `.zorgtoets.yaml` or a file in an extra folder changes.
   */
  reset(): void {
    for (const engine of this.engines.values()) engine.dispose();
    this.engines.clear();
    this.configs.clear();
    this.fixedConfig = undefined;
  }

  /** Every engine made so far, for reporting problems with extra folders once. */
  allEngines(): Engine[] {
    return [...this.engines.values()];
  }
}

function folderOf(path: string): string {
  const absolute = resolve(path);
  try {
    return statSync(absolute).isDirectory() ? absolute : dirname(absolute);
  } catch {
    return dirname(absolute);
  }
}

/** What checking one file gave: the same for every output format and for the parity test. */
export interface CheckedFile {
  /** As given or found (relative to the working directory when walked). */
  path: string;
  /** False for YAML files found in a folder that are not submissions (no `formulier:`). */
  ours: boolean;
  form?: string;
  year?: number;
  findings: Finding[];
  summary: Summary;
  /** The submission's `afwijkingen:`, judged (empty when none). */
  deviations: Deviation[];
  /** The text and the engine's full result, when asked for (`keep`): batch checks of many files do not hold them. */
  text?: string;
  result?: CheckResult;
  /** The configuration file that applied, if any. */
  configPath?: string;
}

/** The engine's options for checking a file with a setup (also for checking its kept text again). */
export function checkOptionsFor(setup: CheckSetup, options: { today: string; explicit: boolean }): CheckOptions {
  return {
    lang: setup.lang,
    today: options.today,
    explicit: options.explicit,
    ...(setup.peildatum ? { peildatum: setup.peildatum } : {}),
  };
}

/** Checks one file on disk with the setup that applies to it; I/O and encoding problems become findings. */
export function checkFileOnDisk(setup: CheckSetup, path: string, options: { today: string; explicit: boolean; keep?: boolean }): CheckedFile {
  const { engine } = setup;
  const configPath = setup.config.path;
  const read = readSubmission(path);
  if (!read.ok) {
    const finding =
      read.reason === 'encoding'
        ? engine.fileFinding('ZT-LIMIT', 'encoding', { detail: read.detail }, setup.lang)
        : engine.fileFinding('ZT-INTERNAL', 'default', { detail: read.detail }, setup.lang);
    return { path, ours: true, findings: [finding], summary: engine.summarize([finding]), deviations: [], ...(configPath ? { configPath } : {}) };
  }
  // quick: most files of a run are clean, and then the data suffices; a file with findings is
  // parsed fully, so the report is the same (engine.ts, quick-parse.ts).
  const result = engine.check(read.text, { ...checkOptionsFor(setup, options), quick: true });
  return {
    path,
    ours: result.ours,
    ...(result.form ? { form: result.form } : {}),
    ...(result.year ? { year: result.year } : {}),
    findings: result.findings,
    summary: engine.summarize(result.findings),
    deviations: result.deviations,
    ...(options.keep ? { text: read.text, result } : {}),
    ...(configPath ? { configPath } : {}),
  };
}

/**
 * Checks files as the CLI does, each with the configuration that applies to it. The language
 * server's parity test compares its diagnostics for the same files with these findings.
 */
export function checkFiles(paths: readonly { path: string; explicit: boolean }[], options: { today: string; preferences?: Preferences; workspace?: Workspace; keep?: boolean }): CheckedFile[] {
  const workspace = options.workspace ?? new Workspace(options.preferences);
  return paths.map((target) => checkFileOnDisk(workspace.setupFor(target.path), target.path, { today: options.today, explicit: target.explicit, keep: options.keep ?? false }));
}
