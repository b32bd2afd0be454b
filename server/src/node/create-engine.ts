import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Engine, type Limits, type Severity } from '../engine/index.js';
import { NodeDataFiles, productRoot } from './node-data-files.js';
import { WorkerRuleSandbox } from './rule-sandbox.js';

export interface NodeEngineOptions {
  /** An organisation's extra rule folders: `requirements/*.yaml`, `<insurer>/<form>.rules.yaml`. */
  extraFolders?: string[];
  /** Severity overrides for the organisation's own IDs (the engine refuses built-in IDs). */
  severityOverrides?: Record<string, Severity>;
  limits?: Partial<Limits>;
  /** Longest the organisation's rules of one file may take per check (default 2 s). */
  ruleTimeoutMs?: number;
}

/** The engine over the product's own `schemas/` folder, as the CLI and the language server use it. */
export function createNodeEngine(options: NodeEngineOptions = {}): Engine {
  const schemasRoot = join(productRoot(), 'schemas');
  const cacheFile = join(productRoot(), 'dist', 'data-cache.json');
  const extraFolders = (options.extraFolders ?? []).map((folder) => resolve(folder));
  return new Engine({
    files: new NodeDataFiles(schemasRoot, cacheFile),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(extraFolders.length > 0
      ? {
          extraFiles: extraFolders.map((folder) => new NodeDataFiles(folder)),
          // The organisation's rules run in a worker with a time limit: never a hang (rule-sandbox.ts).
          extraRuleEvaluator: new WorkerRuleSandbox({ schemasRoot, cacheFile, extraFolders, ...(options.ruleTimeoutMs !== undefined ? { timeoutMs: options.ruleTimeoutMs } : {}) }),
        }
      : {}),
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
