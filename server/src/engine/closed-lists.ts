import * as z from 'zod';
import { didYouMean, normalizeForMatch } from './did-you-mean.js';
import type { Lang } from './types.js';

/**
 * Closed lists a form's rules use (addenda, GLI programmes, chains): canonical values, their
 * aliases and labels. Defined in the rules file, used by rules (`canon`, `suggest`), by messages
 * (`{x|label:list}`) and by completion. Items in a group whose name starts with `vervallen`
 * (retired products) are recognised but never offered in completion.
 */

const LocalizedLabel = z.object({ nl: z.string().min(1), en: z.string().min(1) }).strict();

const ListItem = z.union([
  z.string().min(1),
  z
    .object({
      value: z.string().min(1),
      label: LocalizedLabel.optional(),
      aliases: z.array(z.string().min(1)).default([]),
      /** A group name for rules that treat part of a list differently (e.g. "warning"). */
      group: z.string().optional(),
    })
    .strict(),
]);

export const ClosedListSchema = z.union([
  z.array(ListItem),
  z
    .object({
      /** Whether matching ignores letter case (addenda names do; GLI programme names do not). */
      ignore_case: z.boolean().default(false),
      /** Whether matching ignores accents ("Patient" names "Patiënt"), for names typed without them. */
      ignore_accents: z.boolean().default(false),
      items: z.array(ListItem),
    })
    .strict(),
]);

export interface ListEntry {
  value: string;
  label?: { nl: string; en: string };
  aliases: string[];
  group?: string;
}

export class ClosedList {
  readonly entries: ListEntry[];
  private readonly lookup = new Map<string, ListEntry>();

  constructor(
    readonly name: string,
    raw: z.infer<typeof ClosedListSchema>,
  ) {
    const items = Array.isArray(raw) ? raw : raw.items;
    this.ignoreCase = Array.isArray(raw) ? false : raw.ignore_case;
    this.ignoreAccents = Array.isArray(raw) ? false : raw.ignore_accents;
    this.entries = items.map((item) =>
      typeof item === 'string'
        ? { value: item, aliases: [] }
        : { value: item.value, aliases: item.aliases, ...(item.label ? { label: item.label } : {}), ...(item.group ? { group: item.group } : {}) },
    );
    for (const entry of this.entries) {
      for (const name of [entry.value, ...entry.aliases]) this.lookup.set(this.key(name), entry);
    }
  }

  private readonly ignoreCase: boolean;
  private readonly ignoreAccents: boolean;

  private key(text: string): string {
    let key = text.trim();
    if (this.ignoreAccents) key = key.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
    return this.ignoreCase ? key.toLowerCase() : key;
  }

  /** The entry a value or alias names, exactly (up to case where the list ignores it). */
  resolve(text: string): ListEntry | undefined {
    return this.lookup.get(this.key(text));
  }

  /** The canonical value nearest to a misspelt one, if any is near enough. */
  suggest(text: string, group?: string): string | undefined {
    const candidates = this.entries.filter((e) => group === undefined || e.group === group);
    const names = candidates.flatMap((e) => [e.value, ...e.aliases]);
    const near = didYouMean(text, names);
    if (near === undefined) return undefined;
    return this.resolve(near)?.value;
  }

  label(value: string, lang: Lang): string | undefined {
    const entry = this.resolve(value);
    return entry ? (entry.label?.[lang] ?? entry.value) : undefined;
  }

  /** True when two spellings differ only in typing noise (case, accents, spacing). */
  static sameWords(a: string, b: string): boolean {
    return normalizeForMatch(a) === normalizeForMatch(b);
  }
}
