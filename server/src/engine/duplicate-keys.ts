import { isMap, isScalar, visit, type Document } from 'yaml';

/**
 * Two checks over every mapping of a parsed document, each in linear time.
 *
 * Duplicate keys found in linear time. The yaml library checks each new key against every key
 * before it in the same mapping (quadratic): a pasted list of 100,000 `key: value` lines would
 * take minutes. The engine parses with `uniqueKeys: false` and reports duplicates with this
 * instead: the same rule (two scalar keys with the same value), the same code and position.
 */
export interface DuplicateKey {
  code: 'DUPLICATE_KEY';
  message: string;
  pos: [number, number];
}

/** The first `max` duplicate keys (all by default), and `max + 1` when there are more. */
export function duplicateKeys(doc: Document.Parsed, max = Infinity): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map) || map.items.length < 2) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        // As the library compares (===): NaN is never equal to itself.
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        if (seen.has(key.value)) {
          const start = key.range?.[0] ?? 0;
          found.push({ code: 'DUPLICATE_KEY', message: 'Map keys must be unique', pos: [start, start + 1] });
          if (found.length > max) return visit.BREAK;
        } else {
          seen.add(key.value);
        }
      }
    },
  });
  return found;
}

/**
 * The largest mapping, when it has more than `max` keys. A form's sections have tens of keys; a
 * mapping with thousands is pasted data, and each unknown key would cost a finding and a fix.
 */
export function oversizedMapping(doc: Document.Parsed, max: number): { keys: number; offset: number } | undefined {
  let largest: { keys: number; offset: number } | undefined;
  visit(doc, {
    Map(_key, map) {
      if (isMap(map) && map.items.length > max && map.items.length > (largest?.keys ?? 0)) largest = { keys: map.items.length, offset: map.range?.[0] ?? 0 };
    },
  });
  return largest;
}

/** The number of keys of the largest mapping in a tree (0 without mappings). */
export function largestMapping(doc: Document.Parsed): number {
  let largest = 0;
  visit(doc, {
    Map(_key, map) {
      if (isMap(map) && map.items.length > largest) largest = map.items.length;
    },
  });
  return largest;
}
