import Ajv2020, { type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ClosedList } from './closed-lists.js';
import { DataFileError, readSchemaData, type DataFiles } from './data-files.js';
import { formatPath, isRecord, pointerToPath, valueAt } from './paths.js';
import type { RawFinding } from './raw-finding.js';
import { safeRegExp } from './safe-regexp.js';
import type { DataPath } from './types.js';

/**
 * JSON Schema 2020-12 validation (ajv, every schema compiled once and cached) and the mapping of
 * ajv's errors to findings: one per requirement and place, with the catalogue's words instead of
 * schema noise. Ranges are filled in later by the engine, from the paths given here.
 *
 * Annotations the schemas use:
 *   x-requirement  the catalogue ID a constraint implements (on a property, an object or a `then`)
 *   x-compliant    on a declaration: the answer that meets the requirement (true or false);
 *                  null means "not yet answered"
 *   x-question     on a declaration: the question as asked ({nl, en}), for hover and messages
 *   x-hint         on a pattern: what the value should look like ({nl, en}), e.g. "8 cijfers"
 *   x-list         on an enum: the closed list (in the rules file) whose labels describe its values
 *   x-canon        a condition, for `if`: {list, is} holds when the value names the entry `is` of
 *                  the form's closed list `list`, by its exact name or an alias (up to case where
 *                  the list ignores it): the same matching the rules' canon() does, so a schema can
 *                  apply a block's structure only to the list entry it belongs to (an addendum's own
 *                  data) without repeating the aliases. Resolved against the closed lists of the
 *                  form whose schema is compiled, so not allowed in shared schemas.
 */
export const ANNOTATIONS = ['x-requirement', 'x-question', 'x-hint', 'x-list', 'x-description'] as const;

export type SchemaFinding = Omit<RawFinding, 'range'> & {
  /** Where the range should point: the value (default) or the key of the pair at `path`. */
  rangeAt?: 'value' | 'key';
  /** What a fix may need: the offending value and the schema facts behind it. */
  facts?: SchemaFacts;
};

export interface SchemaFacts {
  keyword: string;
  value?: unknown;
  allowed?: unknown[];
  expectedTypes?: string[];
  knownKeys?: string[];
  missingKey?: string;
}

/** The closed lists an `x-canon` condition of a form schema resolves against (the form's rules lists). */
export type ListResolver = (schemaPath: string) => ReadonlyMap<string, ClosedList>;

const CANON = 'x-canon';

export class SchemaCompiler {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly indexes = new Map<string, Map<string, string>>();
  private listsFor: ListResolver = () => new Map();
  /** The lists of the form schema being compiled: ajv compiles synchronously, keywords read them. */
  private compiling: { path: string; lists: ReadonlyMap<string, ClosedList> } | undefined;

  constructor(private readonly files: DataFiles) {
    this.ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      // if/then with `required` names properties defined in the enclosing object, which strict mode flags.
      strictRequired: false,
      verbose: true,
      code: { regExp: safeRegExp },
    });
    addFormats(this.ajv, ['date', 'email', 'uri']);
    for (const keyword of ANNOTATIONS) this.ajv.addKeyword({ keyword });
    this.ajv.addKeyword({
      keyword: 'x-compliant',
      schemaType: 'boolean',
      errors: false,
      validate: (compliant: boolean, data: unknown) => data === compliant,
    });
    this.ajv.addKeyword({
      keyword: CANON,
      schemaType: 'object',
      errors: false,
      compile: (spec: { list?: unknown; is?: unknown }) => {
        const context = this.compiling;
        if (typeof spec.list !== 'string' || typeof spec.is !== 'string') throw new Error(`${CANON} vraagt {list, is} als tekst`);
        const list = context?.lists.get(spec.list);
        if (!list) throw new Error(`${CANON}: onbekende lijst "${spec.list}" (lijsten staan in de regelbestanden van het formulier)`);
        const wanted = spec.is;
        if (list.resolve(wanted)?.value !== wanted) throw new Error(`${CANON}: "${wanted}" staat niet in lijst "${spec.list}"`);
        return (data: unknown) => typeof data === 'string' && list.resolve(data)?.value === wanted;
      },
    });
  }

  /** Where `x-canon` conditions find a form schema's closed lists; set once by the engine. */
  useLists(resolver: ListResolver): void {
    this.listsFor = resolver;
  }

  /** Registers a schema that others `$ref` by its `$id` (an insurer's shared definitions). */
  addShared(path: string): void {
    const { schema, vetted } = this.readSchema(path, true);
    if (typeof schema['$id'] !== 'string') throw new DataFileError(path, '$id', 'een gedeeld schema heeft een $id nodig');
    if (this.ajv.getSchema(schema['$id'])) return;
    try {
      this.ajv.addSchema(schema, undefined, undefined, !vetted);
    } catch (error) {
      throw new DataFileError(path, '', `ongeldig JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  compile(path: string): ValidateFunction {
    let validate = this.compiled.get(path);
    if (!validate) {
      const { schema, vetted } = this.readSchema(path);
      // Outside the try: a broken rules file is its own DataFileError, not "ongeldig JSON Schema".
      const lists = this.listsFor(path);
      try {
        this.compiling = { path, lists };
        validate = vetted && typeof schema['$id'] === 'string' ? this.compileVetted(schema, schema['$id']) : this.ajv.compile(schema);
      } catch (error) {
        // ajv registers the schema's $id before compiling; drop it so the next use reports the same
        // problem instead of "already exists".
        if (typeof schema['$id'] === 'string') this.ajv.removeSchema(schema['$id']);
        throw new DataFileError(path, '', `ongeldig JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.compiling = undefined;
      }
      this.compiled.set(path, validate);
    }
    return validate;
  }

  /**
   * Requirement IDs by data path pattern (`praktijken.*.agb_code`), following $refs, so an error
   * inside a shared definition still finds the requirement its property serves.
   */
  requirementIndex(path: string): Map<string, string> {
    let index = this.indexes.get(path);
    if (!index) {
      index = new Map();
      const root = this.schemaObject(path);
      this.indexSchema(root, root, [], index, new Set());
      this.indexes.set(path, index);
    }
    return index;
  }

  private indexSchema(schema: unknown, root: AnySchemaObject, pattern: string[], index: Map<string, string>, seen: Set<unknown>): void {
    if (!isRecord(schema) || seen.has(schema)) return;
    const key = pattern.join('.');
    const requirement = requirementOf(schema);
    if (requirement && !index.has(key)) index.set(key, requirement);
    const next = new Set(seen).add(schema);
    const ref = schema['$ref'];
    if (typeof ref === 'string') {
      const resolved = this.resolveRefFrom(ref, root);
      if (resolved) this.indexSchema(resolved.schema, resolved.root, pattern, index, next);
    }
    const properties = schema['properties'];
    if (isRecord(properties)) for (const [name, sub] of Object.entries(properties)) this.indexSchema(sub, root, [...pattern, name], index, next);
    if (schema['items'] !== undefined) this.indexSchema(schema['items'], root, [...pattern, '*'], index, next);
    for (const combinator of ['allOf', 'anyOf', 'oneOf']) {
      const list = schema[combinator];
      if (Array.isArray(list)) for (const sub of list) this.indexSchema(sub, root, pattern, index, next);
    }
    for (const branch of ['then', 'else']) if (schema[branch] !== undefined) this.indexSchema(schema[branch], root, pattern, index, next);
  }

  /** Resolves a `$ref` as written inside `root` (local `#/…` or another schema's `$id#/…`). */
  resolveRefFrom(ref: string, root: AnySchemaObject): { schema: unknown; root: AnySchemaObject } | undefined {
    const [base, fragment = ''] = ref.split('#');
    const document = base ? this.resolveRef(base) : root;
    if (!document) return undefined;
    let node: unknown = document;
    for (const raw of fragment.split('/').filter(Boolean)) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = isRecord(node) ? node[part] : undefined;
    }
    return node === undefined ? undefined : { schema: node, root: document };
  }

  /** The raw schema object of a compiled form, for completion and hover. */
  schemaObject(path: string): AnySchemaObject {
    return this.compile(path).schema as AnySchemaObject;
  }

  resolveRef(ref: string): AnySchemaObject | undefined {
    const found = this.ajv.getSchema(ref);
    return found ? (found.schema as AnySchemaObject) : undefined;
  }

  /**
   * Compiles a schema the build already checked against the meta-schema: ajv's compile() checks
   * it again, and compiling the 2020-12 meta-schema for that is a third of the engine's start-up.
   */
  private compileVetted(schema: AnySchemaObject, id: string): ValidateFunction {
    this.ajv.addSchema(schema, undefined, undefined, false);
    const validate = this.ajv.getSchema(id);
    if (!validate) throw new Error(`schema ${id} niet gevonden na toevoegen`);
    return validate as ValidateFunction;
  }

  private readSchema(path: string, shared = false): { schema: AnySchemaObject; vetted: boolean } {
    const { data: schema, vetted } = readSchemaData(this.files, path);
    if (!isRecord(schema)) throw new DataFileError(path, '', 'een schema moet een object zijn');
    checkAnnotations(schema, path, '', shared);
    return { schema, vetted };
  }
}

/**
 * x-compliant without x-requirement would produce a finding nobody can look up; x-canon in a
 * shared schema would resolve against whichever form happened to compile it first.
 */
function checkAnnotations(schema: unknown, file: string, at: string, shared: boolean): void {
  if (Array.isArray(schema)) {
    schema.forEach((item, i) => checkAnnotations(item, file, `${at}[${i}]`, shared));
    return;
  }
  if (!isRecord(schema)) return;
  if ('x-compliant' in schema && typeof schema['x-requirement'] !== 'string') {
    throw new DataFileError(file, at || '(root)', 'x-compliant zonder x-requirement');
  }
  if (shared && CANON in schema) throw new DataFileError(file, at || '(root)', `${CANON} hoort in het schema van een formulier, niet in een gedeeld schema (de lijsten zijn per formulier)`);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'enum' || key === 'const' || key === 'examples') continue;
    checkAnnotations(value, file, at ? `${at}.${key}` : key, shared);
  }
}

function requirementOf(schema: unknown): string | undefined {
  return isRecord(schema) && typeof schema['x-requirement'] === 'string' ? schema['x-requirement'] : undefined;
}

function isRef(schema: unknown): boolean {
  return isRecord(schema) && typeof schema['$ref'] === 'string';
}

/**
 * Keeps the errors of the one branch of an anyOf/oneOf whose type fits the data. ajv gives errors
 * behind a `$ref` it did not inline the referenced schema's own paths (`#/type`, `#/properties/…`),
 * without the branch's: an error under the combinator's data path that has neither the branch
 * prefix nor the path of the schema holding the combinator belongs to the (single) `$ref` branch.
 * A branch without errors fits too.
 */
function collapseBranches(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const combinator of errors) {
    if (combinator.keyword !== 'anyOf' && combinator.keyword !== 'oneOf') continue;
    if (dropped.has(combinator)) continue;
    const prefix = `${combinator.schemaPath}/`;
    const holder = combinator.schemaPath.slice(0, -`/${combinator.keyword}`.length);
    const branches = new Map<string, ErrorObject[]>();
    const schemas: unknown[] = Array.isArray(combinator.schema) ? combinator.schema : [];
    schemas.forEach((_, i) => branches.set(String(i), []));
    const refBranches = schemas.flatMap((branch, i) => (isRef(branch) ? [String(i)] : []));
    const refBranch = refBranches.length === 1 && holder !== '#' ? refBranches[0] : undefined;
    const under = (error: ErrorObject) => error.instancePath === combinator.instancePath || error.instancePath.startsWith(`${combinator.instancePath}/`);
    const behindRef = new Set<ErrorObject>();
    for (const error of errors) {
      let branch: string | undefined;
      if (error.schemaPath.startsWith(prefix)) branch = error.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      else if (refBranch !== undefined && error !== combinator && under(error) && !error.schemaPath.startsWith(`${holder}/`)) {
        branch = refBranch;
        behindRef.add(error);
      }
      if (branch === undefined) continue;
      const list = branches.get(branch) ?? [];
      list.push(error);
      branches.set(branch, list);
    }
    const fitting = [...branches.entries()].filter(
      ([branch, list]) =>
        !list.some(
          (e) => e.keyword === 'type' && e.instancePath === combinator.instancePath && (behindRef.has(e) || e.schemaPath === `${prefix}${branch}/type`),
        ),
    );
    if (fitting.length === 1) {
      dropped.add(combinator);
      for (const [branch, list] of branches) if (branch !== fitting[0]?.[0]) list.forEach((e) => dropped.add(e));
    } else {
      for (const list of branches.values()) list.forEach((e) => dropped.add(e));
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

const TYPE_NAMES: Record<string, { nl: string; en: string }> = {
  boolean: { nl: 'true of false', en: 'true or false' },
  integer: { nl: 'een geheel getal', en: 'a whole number' },
  number: { nl: 'een getal', en: 'a number' },
  string: { nl: 'tekst', en: 'text' },
  object: { nl: 'een sectie met sleutels', en: 'a section with keys' },
  array: { nl: 'een lijst', en: 'a list' },
};

const PATHS_OWNED_BY_REGISTRY = new Set(['formulier', 'contractjaar']);

/** `praktijken[3].agb_code` → `praktijken.*.agb_code`, the key of the requirement index. */
export function pathPattern(path: DataPath): string {
  return path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.');
}

export function mapSchemaErrors(errors: readonly ErrorObject[], data: unknown, requirements: ReadonlyMap<string, string> = new Map()): SchemaFinding[] {
  const relevant = collapseBranches(errors.filter((e) => e.keyword !== 'if'));
  const typeErrorAt = new Set(relevant.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const findings: SchemaFinding[] = [];
  const seen = new Set<string>();

  for (const error of relevant) {
    const path = pointerToPath(error.instancePath, data);
    const finding = mapOne(error, path, data, typeErrorAt, requirements);
    if (!finding) continue;
    const head = finding.path[0];
    if (finding.path.length === 1 && typeof head === 'string' && PATHS_OWNED_BY_REGISTRY.has(head)) continue;
    const key = `${finding.id}|${formatPath(finding.path)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

function mapOne(error: ErrorObject, path: DataPath, data: unknown, typeErrorAt: Set<string>, requirements: ReadonlyMap<string, string>): SchemaFinding | undefined {
  const parent = error.parentSchema as AnySchemaObject | undefined;
  const value = error.data;
  const field = String(path[path.length - 1] ?? '');
  const ownId = requirementOf(parent) ?? requirements.get(pathPattern(path));

  switch (error.keyword) {
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      const propertySchema = isRecord(parent?.['properties']) ? parent['properties'][missing] : undefined;
      const declaration = isRecord(propertySchema) && 'x-compliant' in propertySchema;
      const fullPath = [...path, missing];
      const id = requirementOf(propertySchema) ?? requirements.get(pathPattern(fullPath)) ?? requirementOf(parent) ?? 'ZT-TYPE';
      return {
        id,
        variant: declaration ? 'unanswered' : 'missing',
        params: { veld: missing, pad: formatPath(fullPath), vraag: questionOf(propertySchema) },
        path: fullPath,
        facts: { keyword: 'required', missingKey: missing },
      };
    }
    case 'x-compliant': {
      if (typeErrorAt.has(error.instancePath)) return undefined;
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: value === null || value === undefined ? 'unanswered' : 'default',
        params: { veld: field, pad: formatPath(path), waarde: asMessageValue(value), vraag: questionOf(parent) },
        path,
        facts: { keyword: 'x-compliant', value },
      };
    }
    case 'type': {
      const expected = ([] as string[]).concat((error.params as { type: string | string[] }).type);
      return {
        id: ownId ?? 'ZT-TYPE',
        // `key:` with nothing after it is a field still to fill in, not a wrong type.
        variant: value === null ? 'unfilled' : 'type',
        params: { veld: field, pad: formatPath(path), waarde: asMessageValue(value), verwacht: expected.filter((t) => t !== 'null').map((t) => TYPE_NAMES[t] ?? t) },
        path,
        facts: { keyword: 'type', value, expectedTypes: expected },
      };
    }
    case 'enum':
    case 'const': {
      const allowed = error.keyword === 'enum' ? (error.params as { allowedValues: unknown[] }).allowedValues : [(error.params as { allowedValue: unknown }).allowedValue];
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: value === null ? 'unfilled' : 'enum',
        params: { veld: field, pad: formatPath(path), waarde: asMessageValue(value), toegestaan: allowed.map((a) => String(a)) },
        path,
        facts: { keyword: 'enum', value, allowed },
      };
    }
    case 'pattern':
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: 'pattern',
        params: { veld: field, pad: formatPath(path), waarde: asMessageValue(value), vorm: hintOf(parent) ?? String((error.params as { pattern: string }).pattern) },
        path,
        facts: { keyword: 'pattern', value },
      };
    case 'format':
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: `format-${String((error.params as { format: string }).format)}`,
        params: { veld: field, pad: formatPath(path), waarde: asMessageValue(value) },
        path,
        facts: { keyword: 'format', value },
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const params = error.params as { comparison: string; limit: number };
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: 'range',
        params: { veld: field, pad: formatPath(path), waarde: asMessageValue(value), grens: params.limit, vergelijking: params.comparison },
        path,
        facts: { keyword: error.keyword, value },
      };
    }
    case 'minItems':
    case 'maxItems':
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: error.keyword,
        params: { veld: field, pad: formatPath(path), aantal: Array.isArray(value) ? value.length : 0, grens: (error.params as { limit: number }).limit },
        path,
        facts: { keyword: error.keyword },
      };
    case 'minLength':
      return { id: ownId ?? 'ZT-TYPE', variant: 'empty', params: { veld: field, pad: formatPath(path) }, path, facts: { keyword: 'minLength', value } };
    case 'uniqueItems': {
      const params = error.params as { i: number; j: number };
      const duplicate = Array.isArray(value) ? value[params.j] : undefined;
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: 'unique',
        params: { veld: field, pad: formatPath(path), waarde: asMessageValue(duplicate) },
        path: [...path, params.j],
        facts: { keyword: 'uniqueItems' },
      };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = String(
        (error.params as { additionalProperty?: string; unevaluatedProperty?: string }).additionalProperty ??
          (error.params as { unevaluatedProperty?: string }).unevaluatedProperty,
      );
      const known = isRecord(parent?.['properties']) ? Object.keys(parent['properties']) : [];
      return {
        id: 'ZT-KEY',
        variant: 'default',
        params: { sleutel: extra, pad: formatPath([...path, extra]) },
        path: [...path, extra],
        rangeAt: 'key',
        facts: { keyword: 'additionalProperties', knownKeys: known, value: valueAt(data, [...path, extra]) },
      };
    }
    case 'anyOf':
    case 'oneOf':
      return { id: ownId ?? 'ZT-TYPE', variant: 'shape', params: { veld: field, pad: formatPath(path), waarde: asMessageValue(value) }, path, facts: { keyword: error.keyword, value } };
    default:
      return {
        id: ownId ?? 'ZT-TYPE',
        variant: 'fallback',
        params: { veld: field, pad: formatPath(path), detail: error.message ?? error.keyword },
        path,
        facts: { keyword: error.keyword, value },
      };
  }
}

function questionOf(schema: unknown): { nl: string; en: string } | undefined {
  if (!isRecord(schema)) return undefined;
  const question = schema['x-question'];
  return isRecord(question) && typeof question['nl'] === 'string' && typeof question['en'] === 'string'
    ? { nl: question['nl'], en: question['en'] }
    : undefined;
}

function hintOf(schema: unknown): { nl: string; en: string } | undefined {
  if (!isRecord(schema)) return undefined;
  const hint = schema['x-hint'];
  return isRecord(hint) && typeof hint['nl'] === 'string' && typeof hint['en'] === 'string' ? { nl: hint['nl'], en: hint['en'] } : undefined;
}

/** Values from the document shown in messages: scalars as typed, collections summarized. */
function asMessageValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 77)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return '[…]';
  return '{…}';
}
