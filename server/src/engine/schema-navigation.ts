import type { AnySchemaObject } from 'ajv/dist/2020.js';
import type { Localized } from './catalogue.js';
import { isRecord } from './paths.js';
import type { SchemaCompiler } from './schema-check.js';

/**
 * Reading a form's JSON Schema the way an editor needs it: which subschemas describe the value at
 * a path, which keys a mapping there may have, and what each key is about. Follows `$ref`
 * (also into an insurer's shared schema) and `allOf`/`anyOf`/`oneOf`/`then`/`else`.
 */

interface View {
  schema: Record<string, unknown>;
  root: AnySchemaObject;
  /** Reached through `then`/`else` (or a branch of anyOf/oneOf): applies only sometimes. */
  conditional: boolean;
}

export interface PropertyInfo {
  name: string;
  /** Required whenever the parent exists (not only under a condition). */
  required: boolean;
  /** The subschemas describing the property's value. */
  schemas: Record<string, unknown>[];
}

export interface SchemaFacts {
  requirement?: string;
  question?: Localized;
  hint?: Localized;
  description?: Localized;
  list?: string;
  /** Allowed values (enum or const), in schema order. */
  values?: unknown[];
  types: string[];
  /** For declarations: the answer that meets the requirement. */
  compliant?: boolean;
}

export class SchemaNavigator {
  constructor(
    private readonly compiler: SchemaCompiler,
    private readonly schemaPath: string,
  ) {}

  /** The subschemas describing the value at a pattern path (keys; `*` for any list item). */
  schemasAt(pattern: readonly string[]): Record<string, unknown>[] {
    return this.viewsAt(pattern).map((view) => view.schema);
  }

  /** The keys a mapping at `pattern` may hold, required ones flagged, in schema order. */
  propertiesAt(pattern: readonly string[]): PropertyInfo[] {
    const byName = new Map<string, PropertyInfo>();
    const views = this.viewsAt(pattern);
    for (const view of views) {
      const properties = view.schema['properties'];
      if (!isRecord(properties)) continue;
      for (const [name, sub] of Object.entries(properties)) {
        let info = byName.get(name);
        if (!info) {
          info = { name, required: false, schemas: [] };
          byName.set(name, info);
        }
        info.schemas.push(...this.expand(sub, view.root, view.conditional).map((v) => v.schema));
      }
    }
    for (const view of views) {
      if (view.conditional) continue;
      const required = view.schema['required'];
      if (Array.isArray(required)) for (const name of required) if (typeof name === 'string') {
        const info = byName.get(name);
        if (info) info.required = true;
      }
    }
    return [...byName.values()];
  }

  /** What the schema says about the value at `pattern`. */
  factsAt(pattern: readonly string[]): SchemaFacts {
    return factsOf(this.schemasAt(pattern));
  }

  private viewsAt(pattern: readonly string[]): View[] {
    const root = this.compiler.schemaObject(this.schemaPath);
    let views = this.expand(root, root, false);
    for (const segment of pattern) {
      const next: View[] = [];
      for (const view of views) {
        const sub = segment === '*' ? view.schema['items'] : isRecord(view.schema['properties']) ? view.schema['properties'][segment] : undefined;
        if (sub !== undefined) next.push(...this.expand(sub, view.root, view.conditional));
      }
      views = next;
      if (views.length === 0) break;
    }
    return views;
  }

  /** A schema and every schema it stands for through `$ref` and combinators. */
  private expand(schema: unknown, root: AnySchemaObject, conditional: boolean, seen = new Set<unknown>()): View[] {
    if (!isRecord(schema) || seen.has(schema)) return [];
    seen.add(schema);
    const out: View[] = [{ schema, root, conditional }];
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      const resolved = this.compiler.resolveRefFrom(ref, root);
      if (resolved) out.push(...this.expand(resolved.schema, resolved.root, conditional, seen));
    }
    const allOf = schema['allOf'];
    if (Array.isArray(allOf)) for (const sub of allOf) out.push(...this.expand(sub, root, conditional, seen));
    for (const combinator of ['anyOf', 'oneOf']) {
      const list = schema[combinator];
      if (Array.isArray(list)) for (const sub of list) out.push(...this.expand(sub, root, true, seen));
    }
    for (const branch of ['then', 'else']) if (schema[branch] !== undefined) out.push(...this.expand(schema[branch], root, true, seen));
    return out;
  }
}

function localized(value: unknown): Localized | undefined {
  return isRecord(value) && typeof value['nl'] === 'string' && typeof value['en'] === 'string' ? { nl: value['nl'], en: value['en'] } : undefined;
}

/** The annotations of a set of subschemas merged: the first of each kind wins. */
export function factsOf(schemas: readonly Record<string, unknown>[]): SchemaFacts {
  const facts: SchemaFacts = { types: [] };
  for (const schema of schemas) {
    if (facts.requirement === undefined && typeof schema['x-requirement'] === 'string') facts.requirement = schema['x-requirement'];
    facts.question ??= localized(schema['x-question']);
    facts.hint ??= localized(schema['x-hint']);
    if (facts.description === undefined) {
      const plain = typeof schema['description'] === 'string' ? schema['description'] : undefined;
      const description = localized(schema['x-description']) ?? (plain !== undefined ? { nl: plain, en: plain } : undefined);
      if (description !== undefined) facts.description = description;
    }
    if (facts.list === undefined && typeof schema['x-list'] === 'string') facts.list = schema['x-list'];
    if (facts.values === undefined && Array.isArray(schema['enum'])) facts.values = schema['enum'];
    if (facts.values === undefined && 'const' in schema) facts.values = [schema['const']];
    if (facts.compliant === undefined && typeof schema['x-compliant'] === 'boolean') facts.compliant = schema['x-compliant'];
    const type = schema['type'];
    for (const t of Array.isArray(type) ? type : typeof type === 'string' ? [type] : []) if (typeof t === 'string' && !facts.types.includes(t)) facts.types.push(t);
  }
  if (facts.types.length === 0 && facts.values) {
    for (const value of facts.values) {
      const t = value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
      if (!facts.types.includes(t)) facts.types.push(t);
    }
  }
  return facts;
}
