import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { didYouMean } from '../engine/did-you-mean.js';
import type { Lang, Severity } from '../engine/index.js';

/**
 * The workspace configuration `.zorgtoets.yaml`: one file the CLI and the language server both
 * read, so the editor and CI report the same findings for the same files.
 *
 *   taal: nl                       nl | en: the language of messages
 *   peildatum: 2025-07-10          reference date for deadlines when a file has no ingediend_op
 *   extra_regels: [regels]         an organisation's own rule folders, relative to this file
 *   ernst:                         severity of the organisation's own IDs (not the insurer's)
 *     ORG-01: warning
 *
 * It is found by walking up from the checked file's folder (or the working directory) to the
 * first folder that has one, stopping at the repository root (a folder with `.git`). Command-line
 * flags override it.
 */

export const CONFIG_FILE = '.zorgtoets.yaml';

export interface ZorgtoetsConfig {
  /** Absolute path of the file read; absent when no file was found (all defaults). */
  path?: string;
  taal?: Lang;
  peildatum?: string;
  /** Absolute paths of the extra rule folders, in the order given. */
  extraFolders: string[];
  /** Severity overrides for the organisation's own IDs. */
  ernst: Record<string, Severity>;
}

/** A configuration problem: names the file and the field, like a broken data file. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'ConfigError';
  }
}

const KNOWN_KEYS = ['taal', 'peildatum', 'extra_regels', 'ernst'];

const IsoDate = z.string({ error: 'moet een datum JJJJ-MM-DD zijn' }).refine(isIsoDate, { error: 'moet een bestaande datum JJJJ-MM-DD zijn' });

const ConfigSchema = z
  .object({
    taal: z.enum(['nl', 'en'], { error: 'moet nl of en zijn' }).optional(),
    peildatum: IsoDate.optional(),
    extra_regels: z
      .union([z.string().min(1), z.array(z.string({ error: 'moet een mapnaam zijn' }).min(1, 'mag niet leeg zijn'))], { error: 'moet een map of een lijst van mappen zijn' })
      .transform((value) => (typeof value === 'string' ? [value] : value))
      .default([]),
    ernst: z
      .record(z.string(), z.enum(['error', 'warning', 'info'], { error: 'moet error, warning of info zijn' }), { error: 'moet per ID een ernst geven, bijvoorbeeld ORG-01: warning' })
      .default({}),
  })
  .strict();

export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/** The nearest `.zorgtoets.yaml` from `startDir` upwards, stopping at the repository root. */
export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git'))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and validates a configuration file; every problem is a ConfigError naming file and field. */
export function loadConfig(file: string): ZorgtoetsConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, '', `kan niet gelezen worden (${error instanceof Error ? error.message : String(error)})`);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new ConfigError(path, '', `geen geldige YAML: ${first.message.split('\n')[0]}`);
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(path, '', `moet een lijst van instellingen zijn (${KNOWN_KEYS.join(', ')})`);

  const parsed = ConfigSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue) throw new ConfigError(path, '', 'ongeldig');
    if (issue.code === 'unrecognized_keys') {
      const key = String(issue.keys[0]);
      const suggestion = didYouMean(key, KNOWN_KEYS);
      throw new ConfigError(path, key, `onbekende instelling${suggestion ? `; bedoelt u ${suggestion}?` : ''} Bekend: ${KNOWN_KEYS.join(', ')}`);
    }
    throw new ConfigError(path, issue.path.map(String).join('.'), issue.message);
  }
  const config = parsed.data;
  const base = dirname(path);
  const extraFolders = config.extra_regels.map((folder, i) => {
    const absolute = isAbsolute(folder) ? folder : resolve(base, folder);
    let isFolder = false;
    try {
      isFolder = statSync(absolute).isDirectory();
    } catch {
      throw new ConfigError(path, `extra_regels[${i}]`, `map ${folder} bestaat niet (gezocht: ${absolute})`);
    }
    if (!isFolder) throw new ConfigError(path, `extra_regels[${i}]`, `${folder} is geen map`);
    return absolute;
  });
  return {
    path,
    ...(config.taal ? { taal: config.taal } : {}),
    ...(config.peildatum ? { peildatum: config.peildatum } : {}),
    extraFolders,
    ernst: config.ernst,
  };
}

/** The configuration that applies in `startDir`: the nearest file, or the defaults. */
export function configFor(startDir: string): ZorgtoetsConfig {
  const file = findConfig(startDir);
  return file ? loadConfig(file) : { extraFolders: [], ernst: {} };
}
