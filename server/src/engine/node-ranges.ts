import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { TextIndex } from './text-index.js';
import type { DataPath, Range } from './types.js';

/**
 * Where a data path lives in the text. Ranges come from the yaml tree's node offsets, never from
 * searching the text.
 */
export interface Located {
  /** The node at the full path, when it exists. */
  node?: Node;
  /** The pair whose value is `node` (or the deepest existing pair on the way), for key ranges. */
  pair?: Pair;
  /** Length of the path prefix that exists in the document. */
  depth: number;
  /** The deepest existing node on the path (the parent when the last key is missing). */
  deepest: Node | undefined;
  /** The pair holding `deepest`, if it is a mapping value. */
  deepestPair?: Pair;
}

export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  if (key === null || key === undefined) return '';
  return undefined;
}

/** Mappings this large get a key index, so a finding per key does not scan every key (n²). */
const INDEXED_FROM = 32;
const keyIndexes = new WeakMap<YAMLMap, { size: number; pairs: Map<string, Pair> }>();

/** The pair of `key` in a mapping; the last matching key wins, as in the data (yaml reports duplicates separately). */
function pairFor(map: YAMLMap, key: string): Pair | undefined {
  if (map.items.length >= INDEXED_FROM) {
    let index = keyIndexes.get(map);
    // A mapping changed since (same object, other items) is indexed again.
    if (!index || index.size !== map.items.length) {
      const pairs = new Map<string, Pair>();
      for (const item of map.items) {
        const text = keyText(item);
        if (text !== undefined) pairs.set(text, item);
      }
      index = { size: map.items.length, pairs };
      keyIndexes.set(map, index);
    }
    const pair = index.pairs.get(key);
    if (pair && keyText(pair) === key) return pair;
    if (!pair) return undefined;
    keyIndexes.delete(map);
  }
  for (let i = map.items.length - 1; i >= 0; i--) {
    const item = map.items[i];
    if (item && keyText(item) === key) return item;
  }
  return undefined;
}

export function locate(doc: Document.Parsed, path: DataPath): Located {
  let node: Node | undefined = (doc.contents ?? undefined) as Node | undefined;
  let pair: Pair | undefined;
  let depth = 0;
  for (const segment of path) {
    let next: Node | undefined;
    let nextPair: Pair | undefined;
    if (isMap(node) && typeof segment === 'string') {
      nextPair = pairFor(node, segment);
      if (!nextPair) break;
      next = (nextPair.value ?? undefined) as Node | undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined || isPair(item)) break;
      next = item as Node;
      nextPair = undefined;
    } else {
      break;
    }
    depth++;
    pair = nextPair;
    if (next === undefined) {
      // `key:` with no value: the pair exists, the value node does not.
      return { depth, deepest: undefined, deepestPair: pair, ...(pair ? { pair } : {}) };
    }
    node = next;
  }
  const complete = depth === path.length;
  return {
    depth,
    deepest: node,
    ...(pair ? { deepestPair: pair } : {}),
    ...(complete && node ? { node } : {}),
    ...(complete && pair ? { pair } : {}),
  };
}

function keyRange(pair: Pair, index: TextIndex): Range | undefined {
  const key = pair.key as Node | null;
  if (key && key.range) return index.rangeOf(key.range[0], key.range[1]);
  return undefined;
}

/** A collection spans many lines; point at its first line only, from its first character. */
function firstLineRange(node: Node, index: TextIndex): Range {
  const start = node.range?.[0] ?? 0;
  const end = Math.min(node.range?.[1] ?? start, index.lineEndAt(start));
  return index.rangeOf(start, end);
}

/**
 * The range a finding about `path` is shown at: the value when it is a scalar; the key when the
 * value is a collection or is missing (then the key of the deepest existing parent); the first line
 * of a list item; the document's first key for a missing top-level section.
 */
export function rangeForPath(doc: Document.Parsed | undefined, index: TextIndex, path: DataPath): Range {
  if (!doc) return index.rangeOf(0, 0);
  const found = locate(doc, path);
  if (found.node) {
    if (isScalar(found.node) || (!isMap(found.node) && !isSeq(found.node))) {
      const range = found.node.range;
      if (range) {
        // An empty scalar (`key: ` with nothing) has no width; show the key instead.
        if (range[1] > range[0]) return index.rangeOf(range[0], range[1]);
        if (found.pair) return keyRange(found.pair, index) ?? index.rangeOf(range[0], range[0]);
      }
    }
    if (found.pair) return keyRange(found.pair, index) ?? firstLineRange(found.node, index);
    return firstLineRange(found.node, index);
  }
  if (found.deepestPair) {
    const range = keyRange(found.deepestPair, index);
    if (range) return range;
  }
  if (found.deepest && found.depth > 0) return firstLineRange(found.deepest, index);
  return documentStartRange(doc, index);
}

/** The first key of the document (normally `formulier`), or the start of the text. */
export function documentStartRange(doc: Document.Parsed, index: TextIndex): Range {
  const contents = doc.contents;
  if (isMap(contents)) {
    const first = contents.items[0];
    if (first) {
      const range = keyRange(first, index);
      if (range) return range;
    }
  }
  return index.rangeOf(0, 0);
}

/** The key range of the pair at `path`, for findings about a key itself (unknown keys). */
export function keyRangeForPath(doc: Document.Parsed | undefined, index: TextIndex, path: DataPath): Range {
  if (!doc) return index.rangeOf(0, 0);
  const found = locate(doc, path);
  if (found.pair && found.depth === path.length) {
    const range = keyRange(found.pair, index);
    if (range) return range;
  }
  return rangeForPath(doc, index, path);
}
