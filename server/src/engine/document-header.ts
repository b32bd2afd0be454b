import type { Engine } from './engine.js';
import type { FormVersion } from './forms.js';

/**
 * The form and year a text names, read from its top-level lines without parsing the whole text:
 * completion runs on every keystroke, on texts that are often not valid YAML at that moment.
 */
export function quickHeader(text: string): { form?: string; year?: number } {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  const form = /^formulier:[ \t]*["']?([a-z]+\/[a-z0-9-]+)/m.exec(head)?.[1];
  const year = /^contractjaar:[ \t]*["']?(\d{4})\b/m.exec(head)?.[1];
  return { ...(form ? { form } : {}), ...(year ? { year: Number(year) } : {}) };
}

/** The form version whose schema describes the text: its year, else the newest year of its form. */
export function versionForText(engine: Engine, header: { form?: string; year?: number }): FormVersion | undefined {
  if (header.form === undefined) return undefined;
  return (header.year !== undefined ? engine.forms.version(header.form, header.year) : undefined) ?? engine.forms.latest(header.form);
}
