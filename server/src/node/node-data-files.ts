import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataFiles } from '../engine/index.js';

/**
 * Parsed data files prepared by the build (`dist/data-cache.json`): parsing the catalogues' YAML
 * is most of the engine's start-up, JSON is an order of magnitude faster. Each entry carries the
 * hash of the text it was parsed from, so an edited file is parsed afresh, never served stale.
 */
interface DataCache {
  /** `vetted`: a JSON Schema the build validated against the JSON Schema meta-schema. */
  files: Record<string, { sha1: string; data: unknown; vetted?: boolean }>;
}

export function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** `DataFiles` over a folder on disk: how the CLI and the language server give the engine its data. */
export class NodeDataFiles implements DataFiles {
  private cache: DataCache | undefined | null;

  /** @param cacheFile a data cache written by scripts/build.mjs for this folder, if any. */
  constructor(
    readonly root: string,
    private readonly cacheFile?: string,
  ) {}

  readData(path: string, text: string): unknown {
    return this.entryFor(path, text)?.data;
  }

  vettedSchema(path: string, text: string): boolean {
    return this.entryFor(path, text)?.vetted === true;
  }

  private entryFor(path: string, text: string): DataCache['files'][string] | undefined {
    if (this.cache === undefined) this.cache = this.loadCache();
    const entry = this.cache?.files[path];
    return entry && entry.sha1 === textHash(text) ? entry : undefined;
  }

  private loadCache(): DataCache | null {
    if (!this.cacheFile || !existsSync(this.cacheFile)) return null;
    try {
      const cache = JSON.parse(readFileSync(this.cacheFile, 'utf8')) as DataCache;
      return cache && typeof cache.files === 'object' ? cache : null;
    } catch {
      // A damaged cache only costs speed: every file is parsed from its text.
      return null;
    }
  }

  get label(): string {
    return this.root;
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  list(dir: string): string[] {
    return this.entries(dir).filter((name) => statSync(join(this.root, dir, name)).isFile());
  }

  folders(dir: string): string[] {
    return this.entries(dir).filter((name) => statSync(join(this.root, dir, name)).isDirectory());
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  private entries(dir: string): string[] {
    const full = join(this.root, dir);
    if (!existsSync(full)) return [];
    return readdirSync(full).sort();
  }
}

/**
 * The product's install folder (where `schemas/` and `samples/` live): the bundle's parent folder
 * when bundled (dist/*.cjs), the repository root when run from sources.
 */
export function productRoot(): string {
  const here = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  let dir = resolve(here);
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'schemas', 'requirements'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`zorgtoets: map schemas/ niet gevonden vanaf ${here}`);
}
