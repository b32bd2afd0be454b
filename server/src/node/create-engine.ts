import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine, type Limits, type Severity } from '../engine/index.js';
import { NodeDataFiles, productRoot } from './node-data-files.js';

export interface NodeEngineOptions {
  /** An organisation's extra rule folders: `requirements/*.yaml`, `<insurer>/<form>.rules.yaml`. */
  extraFolders?: string[];
  /** Severity overrides for the organisation's own IDs (the engine refuses built-in IDs). */
  severityOverrides?: Record<string, Severity>;
  limits?: Partial<Limits>;
}

/** The engine over the product's own `schemas/` folder, as the CLI and the language server use it. */
export function createNodeEngine(options: NodeEngineOptions = {}): Engine {
  return new Engine({
    files: new NodeDataFiles(join(productRoot(), 'schemas'), join(productRoot(), 'dist', 'data-cache.json')),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.extraFolders && options.extraFolders.length > 0 ? { extraFiles: options.extraFolders.map((folder) => new NodeDataFiles(resolve(folder))) } : {}),
    ...(options.severityOverrides ? { severityOverrides: options.severityOverrides } : {}),
  });
}

export function productVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(productRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Today's date as YYYY-MM-DD in the local time zone: the default reference date for deadlines. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
