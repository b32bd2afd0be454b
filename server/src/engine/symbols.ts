import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyText } from './node-ranges.js';
import type { ParsedSubmission } from './parse.js';
import type { Range } from './types.js';

/**
 * The outline of a submission from its yaml tree: every key, with list items named by what
 * identifies them (`naam`, `keten`, `id`, …) so "praktijken › De Linde" reads as it should.
 */

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: 'section' | 'list' | 'item' | 'field';
  /** The whole pair or item. */
  range: Range;
  /** The key, or the item's first line. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

const NAMING_KEYS = ['naam', 'keten', 'id', 'programma', 'onderwerp', 'rol', 'titel'];
const MAX_SYMBOLS = 20000;

export function outline(parsed: ParsedSubmission): OutlineSymbol[] {
  const doc = parsed.doc;
  if (!doc) return [];
  const budget = { left: MAX_SYMBOLS };
  return childrenOf(doc.contents as Node | null, parsed, budget);
}

function childrenOf(node: Node | null, parsed: ParsedSubmission, budget: { left: number }): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  const index = parsed.index;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (budget.left-- <= 0) break;
      const name = keyText(pair);
      const key = pair.key as Node | null;
      if (name === undefined || !key?.range) continue;
      const value = pair.value as Node | null;
      const end = value?.range ? value.range[1] : key.range[1];
      out.push({
        name: name === '' ? '""' : name,
        kind: isMap(value) ? 'section' : isSeq(value) ? 'list' : 'field',
        ...detailOf(value),
        range: index.rangeOf(key.range[0], trimEnd(parsed.text, end)),
        selectionRange: index.rangeOf(key.range[0], key.range[1]),
        children: isMap(value) || isSeq(value) ? childrenOf(value, parsed, budget) : [],
      });
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (budget.left-- <= 0) return;
      const child = item as Node | null;
      if (!child?.range) return;
      const start = child.range[0];
      out.push({
        name: itemName(child) ?? `[${i}]`,
        kind: 'item',
        ...(itemName(child) !== undefined ? { detail: `[${i}]` } : {}),
        range: index.rangeOf(start, trimEnd(parsed.text, child.range[1])),
        selectionRange: index.rangeOf(start, Math.min(child.range[1], index.lineEndAt(start))),
        children: isMap(child) || isSeq(child) ? childrenOf(child, parsed, budget) : [],
      });
    });
  }
  return out;
}

function detailOf(value: Node | null): { detail?: string } {
  if (isScalar(value)) return value.value === null ? {} : { detail: String(value.value).slice(0, 80) };
  if (isSeq(value)) return { detail: `${value.items.length}` };
  return {};
}

function itemName(item: Node): string | undefined {
  if (isScalar(item)) return item.value === null ? undefined : String(item.value).slice(0, 80);
  if (!isMap(item)) return undefined;
  for (const key of NAMING_KEYS) {
    const pair = item.items.find((p) => keyText(p) === key);
    if (pair && isScalar(pair.value) && pair.value.value !== null) return String(pair.value.value).slice(0, 80);
  }
  return undefined;
}

/** Node ranges include trailing line breaks and comments; an outline range ends at the content. */
function trimEnd(text: string, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(text[at - 1] ?? '')) at--;
  return at;
}
