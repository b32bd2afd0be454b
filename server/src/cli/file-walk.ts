import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isYamlFile, skipFolder } from '../node/submission-files.js';

/**
 * The files a `check` covers: files named directly (checked even without `formulier:`, as the user
 * asked for them) and the YAML files found under named folders (only those that are submissions).
 */
export interface Target {
  path: string;
  /** Named on the command line, not found by walking a folder. */
  explicit: boolean;
}

export class UsageError extends Error {}

export function collectTargets(args: readonly string[]): Target[] {
  const targets: Target[] = [];
  const seen = new Set<string>();
  const add = (path: string, explicit: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    targets.push({ path, explicit });
  };
  for (const arg of args) {
    let stat;
    try {
      stat = statSync(arg);
    } catch {
      throw new UsageError(`bestand of map niet gevonden: ${arg}`);
    }
    if (stat.isDirectory()) walk(arg, (path) => add(path, false));
    else add(arg, true);
  }
  return targets;
}

function walk(dir: string, visit: (path: string) => void): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipFolder(entry.name)) walk(path, visit);
    } else if (entry.isFile() && isYamlFile(entry.name)) {
      visit(path);
    }
  }
}
