import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFiles } from '../../server/src/engine/index.js';
import { ROOT } from './engine.js';

/** `DataFiles` over a map of paths to texts, for tests that load broken or made-up data. */
export function filesFromMap(files: ReadonlyMap<string, string>): DataFiles {
  const under = (dir: string) => [...files.keys()].filter((p) => p.startsWith(dir ? `${dir}/` : '')).map((p) => p.slice(dir ? dir.length + 1 : 0));
  return {
    read: (path) => {
      const text = files.get(path);
      if (text === undefined) throw new Error(`no such file ${path}`);
      return text;
    },
    list: (dir) => [...new Set(under(dir).filter((p) => !p.includes('/')))].sort(),
    folders: (dir) => [...new Set(under(dir).filter((p) => p.includes('/')).map((p) => p.split('/')[0] ?? ''))].sort(),
    exists: (path) => path === '' || files.has(path) || under(path).length > 0,
  };
}

/** The product's own data (`schemas/`) with some files replaced or added. */
export function productFilesWith(overrides: Record<string, string>): DataFiles {
  const base = join(ROOT, 'schemas');
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(base, dir))) {
      const rel = dir ? `${dir}/${name}` : name;
      if (statSync(join(base, rel)).isDirectory()) walk(rel);
      else files.set(rel, readFileSync(join(base, rel), 'utf8'));
    }
  };
  walk('');
  for (const [path, text] of Object.entries(overrides)) files.set(path, text);
  return filesFromMap(files);
}
