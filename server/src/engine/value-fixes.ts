import { isScalar, type Document } from 'yaml';
import { locate } from './node-ranges.js';
import { didYouMean } from './did-you-mean.js';
import { replaceValueFix } from './fixes.js';
import type { RawFix } from './raw-finding.js';
import type { SchemaFacts, SchemaFinding } from './schema-check.js';
import type { TextIndex } from './text-index.js';

/**
 * Fixes for a value of the wrong type or outside a closed list: what a consultant typed that
 * plainly means something valid ("ja" for true, "112.000" for 112000, "COPD" for copd).
 */

const YES = new Set(['ja', 'j', 'yes', 'y', 'waar', 'wel', 'true']);
const NO = new Set(['nee', 'n', 'no', 'onwaar', 'niet', 'false']);

/** "112.000" or "112 000" (Dutch thousands separators) or "4,5" (decimal comma) as a number. */
export function dutchNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^-?\d{1,3}([. ]\d{3})+$/.test(trimmed)) return Number(trimmed.replace(/[. ]/g, ''));
  if (/^-?\d{1,3}(\.\d{3})*,\d+$/.test(trimmed)) return Number(trimmed.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d+,\d+$/.test(trimmed)) return Number(trimmed.replace(',', '.'));
  return undefined;
}

export function valueFixes(facts: SchemaFacts, doc: Document.Parsed, index: TextIndex, finding: SchemaFinding): RawFix[] {
  const fixes: RawFix[] = [];
  const value = facts.value;
  const add = (fix: RawFix | undefined) => fix && fixes.push(fix);

  if (facts.keyword === 'type' && typeof value === 'string') {
    const expected = facts.expectedTypes ?? [];
    const word = value.trim().toLowerCase();
    if (expected.includes('boolean') && (YES.has(word) || NO.has(word))) {
      const answer = YES.has(word);
      finding.params['suggestie'] = answer;
      finding.variant = 'type-boolean';
      add(replaceValueFix(doc, index, finding.path, answer, 'boolean', { waarde: value, nieuw: String(answer) }, 'boolean-literal'));
    } else if (expected.includes('integer') || expected.includes('number')) {
      const number = dutchNumber(value);
      if (number !== undefined && (expected.includes('number') || Number.isInteger(number))) {
        finding.params['suggestie'] = number;
        finding.variant = 'type-number';
        add(replaceValueFix(doc, index, finding.path, number, 'number', { waarde: value, nieuw: number }));
      }
    }
  }

  if (facts.keyword === 'type' && typeof value === 'number' && (facts.expectedTypes ?? []).includes('string')) {
    // An identifier typed without quotes (kvk_nummer: 01051824) became a number; quote what was typed.
    const { node } = locate(doc, finding.path);
    const typed = isScalar(node) && typeof node.source === 'string' && /^[0-9]+$/.test(node.source) ? node.source : String(value);
    finding.variant = 'type-quote';
    finding.params['waarde'] = typed;
    add(replaceValueFix(doc, index, finding.path, typed, 'quote', { waarde: typed }));
  }

  if (facts.keyword === 'enum' && (typeof value === 'string' || typeof value === 'number')) {
    const allowed = (facts.allowed ?? []).map(String);
    const suggestion = didYouMean(String(value), allowed);
    if (suggestion !== undefined) {
      finding.params['suggestie'] = suggestion;
      finding.variant = 'enum-suggest';
      add(replaceValueFix(doc, index, finding.path, suggestion, 'did-you-mean', { waarde: String(value), nieuw: suggestion }));
    }
  }
  return fixes;
}
