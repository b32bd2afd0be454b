import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataFiles } from '../engine/index.js';

/** `DataFiles` over a folder on disk: how the CLI and the language server give the engine its data. */
export class NodeDataFiles implements DataFiles {
  readonly label: string;

  constructor(readonly root: string) {
    this.label = root;
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
