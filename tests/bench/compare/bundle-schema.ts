import type { Engine } from '../../../server/src/engine/index.js';
import type { ClosedList } from '../../../server/src/engine/closed-lists.js';
import { isRecord } from '../../../server/src/engine/paths.js';

/**
 * A form's JSON Schema as one self-contained file, for tools that validate against a schema but
 * cannot fetch zorgtoets's `$ref`s (https://zorgtoets.nl/schemas/…, resolved by zorgtoets itself
 * from schemas/) and do not know its `x-` keywords: yaml-language-server and Spectral in the
 * comparison benchmark. The constraints stay the same:
 *
 * - every shared schema a `$ref` reaches is copied into `$defs` under a prefix (`vgz.common.agb_code`)
 *   and the `$ref`s point there;
 * - `x-canon: {list, is}` (the value names that entry of a closed list, by name or alias, trimmed,
 *   ignoring case where the list does) becomes the equivalent `pattern`;
 * - `x-compliant: v` (the declaration's answer that meets the requirement) becomes `const: v`;
 * - the other `x-` keywords are annotations (messages, hints, questions) and are dropped, as is
 *   the root `$id` (the file is served from disk).
 */
export function bundleFormSchema(engine: Engine, form: string, year: number): Record<string, unknown> {
  const version = engine.forms.version(form, year);
  if (!version) throw new Error(`unknown form ${form} ${year}`);
  const root = engine.compiler.schemaObject(version.schemaPath) as Record<string, unknown>;
  const lists = engine.forms.rules(version).lists;
  const defs: Record<string, unknown> = {};
  const imported = new Map<string, string>();

  /** The local `$ref` for a reference written inside the document with id `base` (undefined for the root). */
  const rewriteRef = (ref: string, base: string | undefined): string => {
    const [target = '', fragment = ''] = ref.split('#');
    const documentId = target === '' ? base : target;
    if (documentId === undefined) return ref;
    const prefix = importShared(documentId);
    const match = /^\/\$defs\/([^/]+)$/.exec(fragment);
    if (!match) throw new Error(`cannot bundle $ref ${ref}: only references to $defs entries are supported`);
    return `#/$defs/${prefix}${match[1]}`;
  };

  const importShared = (id: string): string => {
    const known = imported.get(id);
    if (known !== undefined) return known;
    const shared = engine.compiler.resolveRef(id) as Record<string, unknown> | undefined;
    if (!shared) throw new Error(`cannot bundle: shared schema ${id} is not loaded`);
    const name = /\/schemas\/(.+?)\.schema\.json$/.exec(id)?.[1]?.replace(/\//g, '.') ?? `shared${imported.size + 1}`;
    const prefix = `${name}.`;
    imported.set(id, prefix);
    const sharedDefs = shared['$defs'];
    if (isRecord(sharedDefs)) for (const [key, value] of Object.entries(sharedDefs)) defs[`${prefix}${key}`] = convert(value, id);
    return prefix;
  };

  const convert = (node: unknown, base: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((item) => convert(item, base));
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default') out[key] = value;
      else if (key === '$ref' && typeof value === 'string') out[key] = rewriteRef(value, base);
      else if (key === 'x-canon') Object.assign(out, canonPattern(value, lists));
      else if (key === 'x-compliant') out['const'] = value;
      else if (key.startsWith('x-')) continue;
      else if (key === '$defs' && isRecord(value)) for (const [name, def] of Object.entries(value)) defs[name] = convert(def, base);
      else out[key] = convert(value, base);
    }
    return out;
  };

  const body = convert(root, undefined) as Record<string, unknown>;
  delete body['$id'];
  return { ...body, $defs: defs };
}

/** `x-canon: {list, is}` as a JSON Schema pattern over the entry's name and aliases. */
function canonPattern(spec: unknown, lists: ReadonlyMap<string, ClosedList>): Record<string, unknown> {
  if (!isRecord(spec) || typeof spec['list'] !== 'string' || typeof spec['is'] !== 'string') throw new Error('x-canon needs {list, is}');
  const list = lists.get(spec['list']);
  const entry = list?.entries.find((e) => e.value === spec['is']);
  if (!list || !entry) throw new Error(`x-canon: ${spec['list']} has no entry ${spec['is']}`);
  // Equal after trimming; the list's case rule decides whether letters match either way.
  const ignoreCase = list.resolve(entry.value.toUpperCase()) === entry && entry.value.toUpperCase() !== entry.value;
  if (list.resolve(`${entry.value}\u0301`) === entry) throw new Error(`x-canon: ${spec['list']} ignores accents, which a pattern cannot say`);
  const alternatives = [entry.value, ...entry.aliases].map((name) =>
    [...name]
      .map((ch) => {
        const lower = ch.toLowerCase();
        const upper = ch.toUpperCase();
        if (ignoreCase && lower !== upper) return `[${lower}${upper}]`;
        return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      })
      .join(''),
  );
  return { type: 'string', pattern: `^\\s*(?:${alternatives.join('|')})\\s*$` };
}

/**
 * The bundled schema with every local `$ref` replaced by the definition it names (`allOf`, so a
 * `$ref` next to other keywords keeps meaning both), for tools that resolve references against
 * their own configuration file instead of the schema (Spectral's rulesets). Throws on a cycle.
 */
export function inlineDefinitions(schema: Record<string, unknown>): Record<string, unknown> {
  const defs = isRecord(schema['$defs']) ? schema['$defs'] : {};
  const resolve = (node: unknown, trail: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => resolve(item, trail));
    if (!isRecord(node)) return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$defs') continue;
      if (key === 'enum' || key === 'const' || key === 'examples' || key === 'default') out[key] = value;
      else if (key !== '$ref') out[key] = resolve(value, trail);
    }
    const ref = node['$ref'];
    if (typeof ref !== 'string') return out;
    const name = /^#\/\$defs\/([^/]+)$/.exec(ref)?.[1];
    if (name === undefined || !(name in defs)) throw new Error(`cannot inline $ref ${ref}`);
    if (trail.includes(name)) throw new Error(`cannot inline recursive $ref ${[...trail, name].join(' → ')}`);
    const target = resolve(defs[name], [...trail, name]);
    return Object.keys(out).length === 0 ? target : { ...out, allOf: [...(Array.isArray(out['allOf']) ? out['allOf'] : []), target] };
  };
  return resolve(schema, []) as Record<string, unknown>;
}
