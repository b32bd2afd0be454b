import type { Underlying } from './report-as.js';
import type { DataPath, FixKind, Range, Severity, TextEdit } from './types.js';

/** A value shown in a message; formatted per language when the finding is rendered. */
export type MessageValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | readonly MessageValue[]
  | { readonly [key: string]: MessageValue };

export type MessageParams = Record<string, MessageValue>;

/**
 * A fix before its title is localized. `title` names a message in the product catalogue's
 * `fixes` section.
 */
export interface RawFix {
  title: string;
  params: MessageParams;
  kind: FixKind;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface RawRelated {
  uri?: string;
  range: Range;
  /** Message key in the product catalogue's `related` section. */
  message: string;
  params: MessageParams;
}

/**
 * A finding before localization: which requirement, which of its message variants, the computed
 * values, and where. Checks produce these; `render.ts` turns them into `Finding`s in one language.
 */
export interface RawFinding {
  id: string;
  /** Message variant in the catalogue entry ("default", "unanswered", …). */
  variant: string;
  params: MessageParams;
  path: DataPath;
  range: Range;
  /** Overrides the catalogue's default severity where a requirement has several (P1, A1, …). */
  severity?: Severity;
  fixes?: RawFix[];
  related?: RawRelated[];
  /** Which check produced it: parsing and the registry, the schema, or a rule. */
  origin?: 'parse' | 'schema' | 'rule';
  /**
   * The requirement that actually failed, when a shared block is reported under another ID
   * (a.s.r.'s ASR-KZ-01 of an IGO's kraamzorg provider, reported as ASR-IGO-12).
   */
  underlying?: Underlying;
  /** Explained by the submission's deviation at this index of `afwijkingen:` (shown as info). */
  deviation?: { index: number; toelichting: string };
}
