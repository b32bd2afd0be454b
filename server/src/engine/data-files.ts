import { parse as parseYaml } from 'yaml';
import type * as z from 'zod';

/**
 * Read access to the product's data folder (`schemas/`), injected by the adapters so the engine
 * itself does no I/O. Paths are relative to that folder and use forward slashes.
 */
export interface DataFiles {
  read(path: string): string;
  /** Files directly inside `dir` (names only), sorted. Empty for a missing folder. */
  list(dir: string): string[];
  /** Sub-folders directly inside `dir` (names only), sorted. */
  folders(dir: string): string[];
  exists(path: string): boolean;
  /** Where the files come from (a folder), for messages about an organisation's extra data. */
  readonly label?: string;
  /**
   * The parsed contents of a YAML or JSON file when the adapter has them ready (a cache built
   * with the bundle, checked against the file's text), or undefined to have the file parsed.
   */
  readData?(path: string, text: string): unknown;
  /**
   * True when the build validated exactly this text, as a JSON Schema, against the JSON Schema
   * meta-schema (so the engine need not compile the meta-schema at start-up to do it again).
   */
  vettedSchema?(path: string, text: string): boolean;
}

/** A broken data file: names the file and the field, so a schema author can fix it at once. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'DataFileError';
  }
}

export function readYamlData(files: DataFiles, path: string): unknown {
  return parseData(path, readText(files, path), files);
}

/** A JSON Schema file's data, and whether the build already checked it against the meta-schema. */
export function readSchemaData(files: DataFiles, path: string): { data: unknown; vetted: boolean } {
  const text = readText(files, path);
  return { data: parseData(path, text, files), vetted: files.vettedSchema?.(path, text) === true };
}

function readText(files: DataFiles, path: string): string {
  try {
    return files.read(path);
  } catch (error) {
    throw new DataFileError(path, '', `kan niet gelezen worden (${error instanceof Error ? error.message : String(error)})`);
  }
}

function parseData(path: string, text: string, files: DataFiles): unknown {
  const ready = files.readData?.(path, text);
  if (ready !== undefined) return ready;
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new DataFileError(path, '', `geen geldige ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Parses data with a zod schema; the first problems become one DataFileError naming the fields. */
export function validateData<T extends z.ZodType>(schema: T, data: unknown, file: string): z.infer<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5);
  const first = issues[0];
  const field = first ? formatIssuePath(first.path, data) : '';
  const problem = issues
    .map((issue, i) => (i === 0 ? issue.message : `${formatIssuePath(issue.path, data)}: ${issue.message}`))
    .join('; ');
  throw new DataFileError(file, field, problem);
}

/** "requirements[3] (VGZ-RHO-04c).title.en": indexes are hard to find in a long file; IDs are not. */
function formatIssuePath(path: readonly PropertyKey[], data: unknown): string {
  let out = '';
  let node: unknown = data;
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      node = Array.isArray(node) ? node[segment] : undefined;
      const id = node && typeof node === 'object' && 'id' in node ? (node as { id: unknown }).id : undefined;
      if (typeof id === 'string') out += ` (${id})`;
    } else {
      out += out ? `.${String(segment)}` : String(segment);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[String(segment)] : undefined;
    }
  }
  return out;
}
