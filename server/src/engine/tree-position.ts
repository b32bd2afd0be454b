import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { keyText } from './node-ranges.js';
import type { DataPath } from './types.js';

/**
 * The data path under a text offset, from the yaml tree: which key or value the cursor is on.
 * The counterpart of `node-ranges.ts` (path → range) for hover.
 */
export interface TreePosition {
  path: DataPath;
  /** On the key of the pair at `path`, or on its (scalar) value. */
  part: 'key' | 'value';
  /** Offsets of the key or value under the cursor. */
  span: [number, number];
}

function within(node: Node | null | undefined, offset: number): node is Node {
  return !!node?.range && offset >= node.range[0] && offset <= node.range[1];
}

export function positionInTree(doc: Document.Parsed, offset: number): TreePosition | undefined {
  let node = doc.contents as Node | null;
  const path: DataPath = [];
  for (let depth = 0; depth < 200 && node; depth++) {
    if (isMap(node)) {
      let next: Node | undefined;
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        const name = keyText(pair);
        if (name === undefined) continue;
        if (within(key, offset) && key.range) return { path: [...path, name], part: 'key', span: [key.range[0], key.range[1]] };
        const value = pair.value as Node | null;
        if (within(value, offset) && value.range && value.range[1] > value.range[0]) {
          path.push(name);
          next = value;
          break;
        }
      }
      if (!next) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => within(item as Node, offset));
      if (index < 0) return undefined;
      path.push(index);
      node = node.items[index] as Node;
    } else if (isScalar(node) && node.range) {
      return { path, part: 'value', span: [node.range[0], node.range[1]] };
    } else {
      return undefined;
    }
  }
  return undefined;
}
