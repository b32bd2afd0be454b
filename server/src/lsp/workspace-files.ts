import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compareValues } from '../engine/index.js';
import type { CheckSetup } from '../node/workspace.js';
import { decodeSubmission } from '../node/read-submission.js';
import { isYamlFile, skipFolder } from '../node/submission-files.js';
import type { WorkspaceIndex } from './workspace-index.js';

/**
 * The saved submissions of the workspace folders, for the checks across documents: found the way
 * the CLI walks a folder (YAML files outside dependency, build and hidden folders, with a
 * `formulier:` line), read from disk unless open in the editor, checked with the configuration
 * that applies to each, and handed to the index. Bounded: files larger than the engine checks are
 * skipped, a scan stops after `maxFiles` YAML files, and it yields to the event loop between files
 * so the editor's own requests go first. A newer scan makes an older one stop.
 */

export interface WorkspaceFilesHost {
  index: WorkspaceIndex;
  /** The setup (engine, language, peildatum) for a file; throws for a broken `.zorgtoets.yaml`. */
  setupFor(path: string): CheckSetup;
  today(): string;
  /** Whether the editor has this (canonical) uri open: then its text counts, not the file. */
  isOpen(uri: string): boolean;
  log(message: string): void;
  /** Something was indexed: settle and publish soon. */
  changed(): void;
}

export interface WorkspaceFilesLimits {
  /** Files larger than this are not read (the engine's own size limit, in bytes). */
  maxBytes: number;
  /** A scan looks at no more than this many YAML files. */
  maxFiles: number;
}

/** One spelling per file, so the editor's uri and the one found on disk are the same key. */
export function canonicalUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export class WorkspaceFiles {
  private roots: string[] = [];
  private generation = 0;
  /** The last scan, for tests and shutdown: resolves when it is done or stopped. */
  scanning: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: WorkspaceFilesHost,
    private readonly limits: WorkspaceFilesLimits,
  ) {}

  /** The workspace folders (file: uris; other schemes have no files to scan). */
  setRoots(uris: readonly string[]): void {
    this.roots = uris.map(filePath).filter((p): p is string => p !== undefined);
  }

  /** How a file is named in other files' messages: relative to its workspace folder, with `/`. */
  nameOf(uri: string): string {
    const path = filePath(uri);
    if (!path) return uri;
    for (const root of this.roots) {
      const rel = relative(root, path);
      if (rel && !rel.startsWith('..') && !rel.startsWith(sep)) {
        const name = rel.split(sep).join('/');
        return this.roots.length > 1 ? `${root.split(sep).pop() ?? root}/${name}` : name;
      }
    }
    return path.split(sep).join('/');
  }

  /** Whether a path is inside a workspace folder where the scan would find it. */
  covers(path: string): boolean {
    return this.roots.some((root) => {
      const rel = relative(root, path);
      return rel !== '' && !rel.startsWith('..') && rel.split(sep).slice(0, -1).every((folder) => !skipFolder(folder)) && isYamlFile(path);
    });
  }

  /** Forgets what was read from disk and reads the workspace folders again. */
  rescan(): Promise<void> {
    const generation = ++this.generation;
    this.host.index.removeSaved();
    this.scanning = this.scan(generation).catch((error: unknown) => this.host.log(`werkruimte doorzoeken: ${error instanceof Error ? error.message : String(error)}`));
    return this.scanning;
  }

  private async scan(generation: number): Promise<void> {
    let seen = 0;
    let indexed = 0;
    const started = performance.now();
    const stack = [...this.roots].reverse();
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      if (generation !== this.generation) return;
      // Code-unit order: the same on every machine, and without the collation data ICU would
      // map in for localeCompare (notation.ts).
      entries.sort((a, b) => compareValues(a.name, b.name));
      for (const entry of [...entries].reverse()) {
        if (entry.isDirectory() && !skipFolder(entry.name)) stack.push(join(dir, entry.name));
      }
      for (const entry of entries) {
        if (!entry.isFile() || !isYamlFile(entry.name)) continue;
        if (++seen > this.limits.maxFiles) {
          this.host.log(`werkruimte: meer dan ${this.limits.maxFiles} YAML-bestanden; de rest wordt niet vergeleken`);
          this.host.changed();
          return;
        }
        if (await this.index(join(dir, entry.name))) indexed++;
        if (generation !== this.generation) return;
        await tick();
      }
    }
    this.host.log(`werkruimte: ${seen} YAML-bestand(en) bekeken, ${indexed} nemen deel aan controles over bestanden heen (${Math.round(performance.now() - started)} ms)`);
    this.host.changed();
  }

  /**
   * A file changed on disk, or was closed in the editor: index what is saved now, or forget it when
   * it is gone, too large, unreadable or no submission. Open documents are the editor's.
   */
  async refresh(path: string): Promise<void> {
    const uri = canonicalUri(pathToFileURL(path).href);
    if (this.host.isOpen(uri)) return;
    if (!(await this.index(path))) this.host.index.remove(uri);
    this.host.changed();
  }

  /** Reads and checks one saved file into the index; false when it takes no part. */
  private async index(path: string): Promise<boolean> {
    const uri = canonicalUri(pathToFileURL(path).href);
    if (this.host.isOpen(uri)) return false;
    const text = await this.readSubmission(path);
    if (text === undefined || this.host.isOpen(uri)) return false;
    let setup: CheckSetup;
    try {
      setup = this.host.setupFor(path);
    } catch (error) {
      this.host.log(`${path}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    const { engine } = setup;
    // Nobody sees this file's own findings: only its cross entries are computed, not a full check.
    const options = { today: this.host.today(), ...(setup.peildatum ? { peildatum: setup.peildatum } : {}) };
    const { form, year, entries } = engine.crossEntriesOf(text, options);
    this.host.index.update({ uri, name: this.nameOf(uri), ...(form ? { form } : {}), ...(year ? { year } : {}), entries, text, engine, lang: setup.lang, open: false, options });
    return entries.length > 0;
  }

  private async readSubmission(path: string): Promise<string | undefined> {
    try {
      const info = await stat(path);
      if (!info.isFile() || info.size > this.limits.maxBytes) return undefined;
      const read = decodeSubmission(await readFile(path));
      if (!read.ok || !/^formulier:/m.test(read.text)) return undefined;
      return read.text;
    } catch {
      return undefined;
    }
  }
}
