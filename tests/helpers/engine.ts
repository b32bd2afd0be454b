import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { Engine, type CheckOptions, type DataPath, type Finding } from '../../server/src/engine/index.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';

/** Test helpers: one engine over the real schemas/, fixed dates, and an independent range oracle. */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TODAY = '2026-11-23';

let shared: Engine | undefined;
export function engine(): Engine {
  shared ??= new Engine({ files: new NodeDataFiles(join(ROOT, 'schemas')) });
  return shared;
}

export function sample(form: string, name = 'valid.yaml'): string {
  return readFileSync(join(ROOT, 'samples', form, name), 'utf8');
}

export function check(text: string, options: Partial<CheckOptions> = {}): Finding[] {
  return engine().check(text, { today: TODAY, ...options }).findings;
}

export function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.id);
}

/**
 * Where a finding about `path` should start, computed without the engine: the scalar value when
 * it exists, else the key of the nearest existing pair on the path, else the first line of the
 * nearest list item. Returns 0-based {line, character}.
 */
export function expectedStart(text: string, path: DataPath, on: 'value' | 'key' = 'value'): { line: number; character: number } {
  const doc = parseDocument(text);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const at = (offset: number) => {
    let line = 0;
    while (line + 1 < lineStarts.length && (lineStarts[line + 1] ?? Infinity) <= offset) line++;
    return { line, character: offset - (lineStarts[line] ?? 0) };
  };
  let node: Node | null = doc.contents as Node | null;
  let lastPair: Pair | undefined;
  let lastItem: Node | undefined;
  for (const segment of path) {
    if (isMap(node) && typeof segment === 'string') {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      lastPair = pair;
      lastItem = undefined;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as Node;
      lastItem = node;
      lastPair = undefined;
    } else {
      node = null;
      break;
    }
  }
  const complete = node !== null && resolvedAll(doc, path);
  if (on === 'value' && complete && isScalar(node) && node.range && node.range[1] > node.range[0]) return at(node.range[0]);
  if (lastPair && isScalar(lastPair.key) && lastPair.key.range) return at(lastPair.key.range[0]);
  if (lastItem?.range) return at(lastItem.range[0]);
  return { line: 0, character: 0 };
}

function resolvedAll(doc: ReturnType<typeof parseDocument>, path: DataPath): boolean {
  return doc.hasIn(path);
}
