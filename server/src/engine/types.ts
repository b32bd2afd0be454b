/**
 * The engine's vocabulary. Positions follow LSP conventions (0-based line, UTF-16 character) so
 * adapters can hand them on unchanged; the CLI adds 1 for display.
 */

export type Lang = 'nl' | 'en';

/** Severity of a finding. Catalogue entries may also be "note", which never becomes a finding. */
export type Severity = 'error' | 'warning' | 'info';
export type CatalogueSeverity = Severity | 'note';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A path into the submission as data: keys and list indexes. */
export type DataPath = (string | number)[];

export interface TextEdit {
  range: Range;
  newText: string;
}

export type FixKind =
  | 'replace-value'
  | 'remove-item'
  | 'insert-section'
  | 'rename-key'
  | 'boolean-literal';

export interface Fix {
  /** Localized title shown in the editor's light bulb and printed by `zorgtoets fix`. */
  title: string;
  kind: FixKind;
  /** Edits against the text the finding was computed on; never overlapping. */
  edits: TextEdit[];
  /** True when applying it is safe without a human choosing among alternatives. */
  preferred?: boolean;
}

export interface RelatedLocation {
  /** Another document (cross-document checks); absent = the same document. */
  uri?: string;
  range: Range;
  message: string;
}

export interface Finding {
  /** Catalogue ID ("VGZ-RHO-04c", "ZT-YAML"); also the LSP code and the SARIF ruleId. */
  id: string;
  severity: Severity;
  /** Localized message with computed values. */
  message: string;
  path: DataPath;
  range: Range;
  /** Policy source: "004_8353ac6ccfdd3b59.txt › Bijlage 2 › …", or "zorgtoets" for product checks. */
  source: string;
  fixes?: Fix[];
  related?: RelatedLocation[];
  /**
   * The underlying requirement when this finding reports a shared block's check under another ID
   * (`id` ASR-IGO-12, `underlying` ASR-KZ-01); SARIF carries it as `properties.onderliggendeEis`.
   */
  underlying?: string;
  /**
   * The provider explained this finding in `afwijkingen:` (a justified deviation): `severity` is
   * then "info" and the message starts with the explanation; `originalSeverity` is what the
   * finding would otherwise be.
   */
  deviation?: { index: number; toelichting: string; originalSeverity: Severity };
}
