import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The workspace the browser tests open: copies of the regioplan samples, plus files made from the
 * valid sample for one scenario each (so every scenario starts from a known text).
 */

const ROOT = join(import.meta.dirname, '..', '..', '..');
export const SAMPLES = join(ROOT, 'samples', 'vgz', 'rho-regioplan');
export const FORM_SCHEMA = join(ROOT, 'schemas', 'vgz', 'rho-regioplan.schema.json');

/** The valid regioplan without its top-level `section:` block (the key, its lines and the blank lines after it). */
export function withoutSection(text: string, section: string, replacement = ''): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${section}:`));
  if (start < 0) throw new Error(`the valid sample has no top-level ${section}`);
  let end = start + 1;
  while (end < lines.length && (lines[end] === '' || /^[\s#]/.test(lines[end] ?? ''))) end++;
  return [...lines.slice(0, start), ...(replacement ? replacement.split('\n') : []), ...lines.slice(end)].join('\n');
}

export interface Workspace {
  /** Workspace file name → source path, for CodeServer. */
  files: Record<string, string>;
  /** Texts the scenarios compare with. */
  texts: Record<string, string>;
}

export const FILES = {
  invalid: 'invalid-verklaringen.yaml',
  valid: 'valid.yaml',
  missingSection: 'zonder-bedrijfsplan.yaml',
  emptySection: 'lege-sectie.yaml',
  notOurs: 'geen-formulier.yaml',
  otherInvalid: 'invalid-zorgketens.yaml',
  newSubmission: 'nieuw-regioplan.yaml',
} as const;

/** The section scenario 3 removes (its quick fix inserts it) and scenario 4 leaves empty. */
export const MISSING_SECTION = 'bedrijfsplan';
export const EMPTY_SECTION = 'keteninformatiesysteem';

/** Writes the derived files into `dir` and lists every file the workspace gets. */
export function prepareWorkspace(dir: string): Workspace {
  const files: Record<string, string> = {};
  const texts: Record<string, string> = {};
  for (const name of readdirSync(SAMPLES).filter((n) => n.endsWith('.yaml'))) {
    files[name] = join(SAMPLES, name);
    texts[name] = readFileSync(join(SAMPLES, name), 'utf8');
  }
  const valid = texts[FILES.valid];
  if (valid === undefined) throw new Error(`${SAMPLES} has no valid.yaml`);
  const derived: Record<string, string> = {
    [FILES.missingSection]: withoutSection(valid, MISSING_SECTION),
    // An empty section with the cursor's line indented, as a person starts one.
    [FILES.emptySection]: withoutSection(valid, EMPTY_SECTION, `${EMPTY_SECTION}:\n  \n`),
    // A YAML file that is not a submission, though it uses a submission's keys and would be full
    // of findings if it were checked.
    [FILES.notOurs]: [
      '# Geen inzending: een gewoon YAML-bestand zonder formulier-regel. zorgtoets laat het met rust.',
      'contractjaar: volgend jaar',
      'organisatie:',
      '  naam: 12',
      '  kvk_nummer: onbekend',
      'verklaringen:',
      '  voldoet_aan_wtza: misschien',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(derived)) {
    writeFileSync(join(dir, name), text);
    files[name] = join(dir, name);
    texts[name] = text;
  }
  return { files, texts };
}

/** The keys the form's schema allows in a top-level section, required ones first (in schema order). */
export function sectionKeys(section: string): { all: string[]; required: string[] } {
  interface SchemaNode {
    $ref?: string;
    properties?: Record<string, unknown>;
    required?: string[];
  }
  const schema = JSON.parse(readFileSync(FORM_SCHEMA, 'utf8')) as SchemaNode & { $defs?: Record<string, SchemaNode> };
  let node = schema.properties?.[section] as SchemaNode | undefined;
  while (node?.$ref?.startsWith('#/$defs/')) node = schema.$defs?.[node.$ref.slice('#/$defs/'.length)];
  if (!node?.properties) throw new Error(`the schema has no object section ${section}`);
  return { all: Object.keys(node.properties), required: node.required ?? [] };
}

/** The IDs a sample says it demonstrates (its "Demonstreert:" header comment). */
export function demonstratedIds(text: string): string[] {
  const header = text.split('\n').filter((line) => line.startsWith('#')).join(' ');
  const demonstrates = header.slice(header.indexOf('Demonstreert:'));
  return [...new Set(demonstrates.match(/\b(?:VGZ|ZT)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b/g) ?? [])];
}

/**
 * Whether `after` is `before` with one block of lines inserted and nothing else changed; returns
 * the inserted block, or undefined.
 */
export function insertedBlock(before: string, after: string): string | undefined {
  const a = before.split('\n');
  const b = after.split('\n');
  if (b.length <= a.length) return undefined;
  let head = 0;
  while (head < a.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  if (head + tail !== a.length) return undefined;
  return b.slice(head, b.length - tail).join('\n');
}
