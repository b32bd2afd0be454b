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
}

export const DEFAULT_LIMITS: Limits = {
  maxChars: 8 * 1024 * 1024,
  maxAliasCount: 100,
  maxLineLength: 64 * 1024,
};
