import { Document, parseDocument, type YAMLError } from 'yaml';
import type { ChunkedParser } from './chunked-parse.js';
import type { Limits } from './limits.js';
import type { RawFinding } from './raw-finding.js';
import { TextIndex } from './text-index.js';

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
}

/** yaml error codes that are about resources rather than syntax: one ZT-LIMIT finding for all. */
const RESOURCE_CODES = new Set(['RESOURCE_EXHAUSTION']);

/** Incremental parsing for one document (the editor's uri); see chunked-parse.ts. */
export interface ParseCache {
  parser: ChunkedParser;
  key: string;
}

export function parseSubmission(text: string, limits: Limits, cache?: ParseCache): ParsedSubmission {
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

  if (cache) {
    const fast = parseIncrementally(text, limits, cache);
    if (fast) return fast;
  }

  // Line starts come from the text itself: the parser's LineCounter skips lines it never lexes
  // (after some syntax errors), which would put ranges past the end of a line.
  const doc = parseDocument(text, { prettyErrors: false, keepSourceTokens: false });
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
  for (const error of [...doc.errors, ...doc.warnings]) {
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

  return { text, index, doc, data, findings, unusable };
}

/**
 * The incremental path: only for texts the chunked parser can take without any parse problem, so
 * its result equals a full parse; everything else (limits, errors) goes the full way.
 */
function parseIncrementally(text: string, limits: Limits, cache: ParseCache): ParsedSubmission | undefined {
  const index = TextIndex.of(text);
  if (findLongLine(index, limits.maxLineLength) !== undefined) return undefined;
  const result = cache.parser.parse(text, cache.key);
  if (!result) return undefined;
  return { text, index, doc: result.doc, data: result.data, findings: [], unusable: false };
}

function syntaxFinding(error: YAMLError, index: TextIndex): RawFinding {
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
