import { Document, parseDocument, type YAMLError } from 'yaml';
import type { ChunkedParser } from './chunked-parse.js';
import { duplicateKeys, oversizedMapping } from './duplicate-keys.js';
import type { Limits } from './limits.js';
import type { RawFinding } from './raw-finding.js';
import { TextIndex } from './text-index.js';
import { exceedsValues, roughValueCount } from './value-count.js';

/**
 * A submission's text parsed once: the yaml tree (for ranges and fixes), its plain data (for the
 * schema and the rules) and the findings parsing itself produced. Parsing never throws.
 */
export interface ParsedSubmission {
  text: string;
  index: TextIndex;
  /** Absent when the text was refused before parsing (too large). */
  doc?: Document.Parsed;
  /** Plain data of the first document; undefined when it could not be built. */
  data: unknown;
  findings: RawFinding[];
  /** True when syntax or limit problems make the data unfit for the schema and the rules. */
  unusable: boolean;
  /** More syntax problems than the findings limit: only the first were made into findings. */
  overflow?: boolean;
  /** Parsed for its data only (quick-parse.ts): no tree, and a check finding anything parses again. */
  dataOnly?: boolean;
}

/** yaml error codes that are about resources rather than syntax: one ZT-LIMIT finding for all. */
const RESOURCE_CODES = new Set(['RESOURCE_EXHAUSTION']);

/** Incremental parsing for one document (the editor's uri); see chunked-parse.ts. */
export interface ParseCache {
  parser: ChunkedParser;
  key: string;
}

export function parseSubmission(text: string, limits: Limits, cache?: ParseCache): ParsedSubmission {
  const parsed = parseText(text, limits, cache);
  if (parsed.doc) {
    const unreadable = unreadableCharacter(parsed.index);
    if (unreadable) parsed.findings.push(unreadable);
  }
  return parsed;
}

/**
 * Text that is not valid Unicode: U+FFFD where an editor could not decode bytes (a file that is
 * not UTF-8), or half a surrogate pair. Saving such text loses what was there, so it gets one
 * finding at the first occurrence; the rest of the check goes on.
 */
const UNREADABLE = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unreadableCharacter(index: TextIndex): RawFinding | undefined {
  const match = UNREADABLE.exec(index.text);
  if (!match) return undefined;
  const position = index.positionAt(match.index);
  return {
    id: 'ZT-LIMIT',
    variant: 'unreadable',
    params: { regel: position.line + 1, kolom: position.character + 1, teken: `U+${(match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` },
    path: [],
    range: index.rangeOf(match.index, match.index + 1),
  };
}

function parseText(text: string, limits: Limits, cache?: ParseCache): ParsedSubmission {
  if (text.length > limits.maxChars) {
    const index = new TextIndex(text, [0]);
    return {
      text,
      index,
      data: undefined,
      unusable: true,
      findings: [
        {
          id: 'ZT-LIMIT',
          variant: 'size',
          params: { grootte: Math.round(text.length / 1024), maximum: Math.round(limits.maxChars / 1024) },
          path: [],
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
    };
  }

  if (roughValueCount(text) > limits.maxValues) {
    // As for size: refused before parsing, one finding.
    return { text, index: TextIndex.of(text), data: undefined, unusable: true, findings: [valuesFinding(limits)] };
  }

  if (cache) {
    const fast = parseIncrementally(text, limits, cache);
    if (fast) return fast;
  }

  // Line starts come from the text itself: the parser's LineCounter skips lines it never lexes
  // (after some syntax errors), which would put ranges past the end of a line.
  // uniqueKeys: false — the library's duplicate check is quadratic; duplicateKeys() does it linearly.
  const doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false, uniqueKeys: false });
  const index = TextIndex.of(text);
  const findings: RawFinding[] = [];
  let unusable = false;

  const longLine = findLongLine(index, limits.maxLineLength);
  if (longLine !== undefined) {
    findings.push({
      id: 'ZT-LIMIT',
      variant: 'line',
      params: { regel: longLine.line + 1, lengte: longLine.length, maximum: limits.maxLineLength },
      path: [],
      range: index.rangeOf(longLine.start, longLine.start),
    });
    unusable = true;
  }

  let resourceReported = false;
  // At most maxFindings syntax findings: a pasted file can hold a million problems, each an object.
  const duplicates = duplicateKeys(doc, limits.maxFindings);
  const problems = [...doc.errors, ...duplicates, ...doc.warnings];
  const overflow = problems.length > limits.maxFindings;
  if (overflow) problems.length = limits.maxFindings;
  for (const error of problems) {
    if (error.code === 'MULTIPLE_DOCS') {
      findings.push({
        id: 'ZT-LIMIT',
        variant: 'documents',
        params: { aantal: countDocuments(text) },
        path: [],
        range: index.rangeOf(error.pos[0], error.pos[0] + 3),
      });
      continue;
    }
    if (RESOURCE_CODES.has(error.code)) {
      unusable = true;
      if (resourceReported) continue;
      resourceReported = true;
      findings.push({
        id: 'ZT-LIMIT',
        variant: 'depth',
        params: {},
        path: [],
        range: index.rangeOf(error.pos[0], error.pos[0]),
      });
      continue;
    }
    unusable = true;
    findings.push(syntaxFinding(error, index));
  }

  const oversized = unusable ? undefined : oversizedMapping(doc, limits.maxKeysPerMapping);
  if (oversized) {
    unusable = true;
    findings.push({ id: 'ZT-LIMIT', variant: 'keys', params: { aantal: oversized.keys, maximum: limits.maxKeysPerMapping }, path: [], range: index.rangeOf(oversized.offset, oversized.offset) });
  }

  let data: unknown;
  if (!unusable) {
    try {
      data = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      // yaml throws a ReferenceError for alias expansion beyond maxAliasCount (billion laughs).
      unusable = true;
      findings.push({
        id: 'ZT-LIMIT',
        variant: 'aliases',
        params: { maximum: limits.maxAliasCount, detail: error instanceof Error ? error.message : String(error) },
        path: [],
        range: index.rangeOf(0, 0),
      });
    }
  }
  if (!unusable) {
    const values = exceedsValues(data, limits.maxValues);
    if (values !== undefined) {
      unusable = true;
      data = undefined;
      findings.push(valuesFinding(limits));
    }
  }

  return { text, index, doc, data, findings, unusable, ...(overflow ? { overflow } : {}) };
}

/**
 * The incremental path: only for texts the chunked parser can take without any parse problem, so
 * its result equals a full parse; everything else (limits, errors) goes the full way.
 */
function parseIncrementally(text: string, limits: Limits, cache: ParseCache): ParsedSubmission | undefined {
  const index = TextIndex.of(text);
  if (findLongLine(index, limits.maxLineLength) !== undefined) return undefined;
  const result = cache.parser.parse(text, cache.key);
  if (!result || result.values > limits.maxValues || result.largestMapping > limits.maxKeysPerMapping) return undefined;
  return { text, index, doc: result.doc, data: result.data, findings: [], unusable: false };
}

function valuesFinding(limits: Limits): RawFinding {
  return { id: 'ZT-LIMIT', variant: 'values', params: { maximum: limits.maxValues }, path: [], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

function syntaxFinding(error: Pick<YAMLError, 'code' | 'message' | 'pos'>, index: TextIndex): RawFinding {
  const [start, end] = error.pos;
  const detail = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
  return {
    id: 'ZT-YAML',
    variant: `yaml:${error.code}`,
    params: { detail },
    path: [],
    range: index.rangeOf(start, Math.max(end, start + 1)),
  };
}

function findLongLine(index: TextIndex, max: number): { line: number; start: number; length: number } | undefined {
  const starts = index.lineStarts;
  for (let line = 0; line < starts.length; line++) {
    const start = starts[line] ?? 0;
    const end = starts[line + 1] ?? index.text.length;
    if (end - start > max) return { line, start, length: end - start };
  }
  return undefined;
}

function countDocuments(text: string): number {
  // Counts document markers at line starts; a leading marker before any content opens document 1.
  const markers = text.match(/^---(?=\s|$)/gm)?.length ?? 0;
  const leading = /^(\s*(#.*)?\n)*---(\s|$)/.test(text) ? 1 : 0;
  return markers - leading + 1;
}
