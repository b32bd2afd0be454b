import type { DataPath } from './types.js';

/**
 * Paths as written in data files: `regio.gemeenten[0]`, `zorgketens[*].kaderarts`,
 * `addenda[naam=Praktijkmanagement].per_normpraktijk_uur`. `.` alone is "here".
 */
export type PathSegment =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'match'; key: string; value: string };

const SEGMENT = /([^.[\]]+)|\[(\*|\d+|[^=\]]+=[^\]]*)\]/g;

export function parsePathPattern(text: string): PathSegment[] {
  if (text === '.' || text === '') return [];
  const segments: PathSegment[] = [];
  let consumed = 0;
  for (const match of text.matchAll(SEGMENT)) {
    const gap = text.slice(consumed, match.index);
    if (gap !== '' && gap !== '.') throw new Error(`ongeldig pad "${text}" bij "${gap}"`);
    consumed = (match.index ?? 0) + match[0].length;
    if (match[1] !== undefined) {
      segments.push({ kind: 'key', key: match[1] });
      continue;
    }
    const inner = match[2] ?? '';
    if (inner === '*') segments.push({ kind: 'wildcard' });
    else if (/^\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
    else {
      const eq = inner.indexOf('=');
      segments.push({ kind: 'match', key: inner.slice(0, eq), value: inner.slice(eq + 1) });
    }
  }
  if (consumed !== text.length) throw new Error(`ongeldig pad "${text}"`);
  return segments;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a concrete path, or undefined. */
export function valueAt(data: unknown, path: DataPath): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof segment === 'number') node = Array.isArray(node) ? node[segment] : undefined;
    else node = isRecord(node) && Object.prototype.hasOwnProperty.call(node, segment) ? node[segment] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** A list item matches `[key=value]` when it is that scalar, or a mapping whose `key` is that value. */
export function matchesItem(item: unknown, key: string, value: string): boolean {
  if (isRecord(item)) return String(item[key]) === value;
  return String(item) === value && (typeof item === 'string' || typeof item === 'number');
}

export interface Expansion {
  path: DataPath;
  value: unknown;
  /** Values bound by each wildcard or match segment, outermost first. */
  bound: unknown[];
}

/**
 * All concrete paths matching a pattern in the data. Keys that are absent end the expansion
 * (nothing to check there), unless `keepMissing` is set, in which case the missing leaf is kept
 * so a caller can report it.
 */
export function expandPattern(data: unknown, pattern: PathSegment[], keepMissing = false): Expansion[] {
  // Paths are built with concat, not spread: concat makes an array of exactly its length, a
  // spread one with room for ~20 entries (120 bytes more), and paths are kept — thousands per
  // document in the cross rules' memo (cross-rules.ts).
  let current: Expansion[] = [{ path: [], value: data, bound: [] }];
  pattern.forEach((segment, depth) => {
    const last = depth === pattern.length - 1;
    const next: Expansion[] = [];
    for (const { path, value, bound } of current) {
      switch (segment.kind) {
        case 'key':
          if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, segment.key)) {
            next.push({ path: path.concat(segment.key), value: value[segment.key], bound });
          } else if (keepMissing && last && isRecord(value)) {
            next.push({ path: path.concat(segment.key), value: undefined, bound });
          }
          break;
        case 'index':
          if (Array.isArray(value) && segment.index < value.length) {
            next.push({ path: path.concat(segment.index), value: value[segment.index], bound });
          }
          break;
        case 'wildcard':
          if (Array.isArray(value)) {
            value.forEach((item, index) => next.push({ path: path.concat(index), value: item, bound: [...bound, item] }));
          }
          break;
        case 'match':
          if (Array.isArray(value)) {
            const index = value.findIndex((item) => matchesItem(item, segment.key, segment.value));
            if (index >= 0) next.push({ path: path.concat(index), value: value[index], bound: [...bound, value[index]] });
          }
          break;
      }
    }
    current = next;
  });
  return current;
}

/** Resolves a pattern without wildcards to one concrete path (the first match), or undefined. */
export function resolvePath(data: unknown, text: string): DataPath | undefined {
  const pattern = parsePathPattern(text);
  const found = expandPattern(data, pattern, true)[0];
  return found?.path;
}

/** Whether two data paths name the same place. */
export function samePath(a: DataPath, b: DataPath): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `regio.gemeenten[0]`: how paths are shown to people. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/** JSON Pointer (ajv's instancePath) → data path, using the data to tell list indexes from keys. */
export function pointerToPath(pointer: string, data: unknown): DataPath {
  if (pointer === '') return [];
  const path: DataPath = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      path.push(Number(key));
      node = node[Number(key)];
    } else {
      path.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return path;
}
