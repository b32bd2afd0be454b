/**
 * Bounds on what the engine accepts, so hostile or accidental input (alias bombs, a pasted 50 MB
 * log, 10,000-deep nesting) costs a bounded amount of time and memory and yields one clear finding.
 * Deep nesting needs no bound of its own: the yaml parser reports it as RESOURCE_EXHAUSTION, which
 * the parse step folds into one ZT-LIMIT finding.
 */
export interface Limits {
  /** Largest text checked, in UTF-16 code units (≈ bytes for Dutch text). */
  maxChars: number;
  /** Alias expansions allowed when turning the YAML tree into data (the billion-laughs guard). */
  maxAliasCount: number;
  /** Longest single line; a 1 MB line is pasted data, not a submission. */
  maxLineLength: number;
  /**
   * Most values (scalars, lists, mappings) in a document. Checking costs time per value, and a
   * few megabytes of one-line list items are a hundred times a real submission: the bound keeps
   * one check of the worst text within seconds (tests/bench/hostile-bench.ts).
   */
  maxValues: number;
  /** Most findings reported for one document; the rest are counted in one ZT-LIMIT finding. */
  maxFindings: number;
  /** Most keys in one mapping: a form's sections have tens; thousands are pasted data. */
  maxKeysPerMapping: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxChars: 8 * 1024 * 1024,
  maxAliasCount: 100,
  maxLineLength: 64 * 1024,
  maxValues: 200_000,
  maxFindings: 1000,
  maxKeysPerMapping: 5000,
};
