import type { Environment } from '@marcbachmann/cel-js';
import * as z from 'zod';
import { createFormEnvironment } from '../cel-env.js';
import type { ClosedList } from '../closed-lists.js';
import { DataFileError, readYamlData, validateData, type DataFiles } from '../data-files.js';
import { parsePathPattern, type PathSegment } from '../paths.js';
import { FormulaSyntaxError, formulaRefs, parseFormula, type FormulaNode } from './formula.js';

/**
 * A form's export mapping, as data: `schemas/<insurer>/<form>.export.yaml`, named by the form
 * manifest's `years.<year>.export`. It names the kinds of export a form offers (an offerteformat,
 * a regioplan, …), the formats each can be written in, and which field goes to which sheet,
 * column, table row, paragraph or live formula. The format is documented in
 * `schemas/README-export.md`; this module validates it with zod at load, compiles its CEL
 * expressions, paths and formulas, and checks every formula reference, so a broken mapping is a
 * startup error naming the file and the field, never a failure halfway through an export.
 */

/**
 * Every export model can be written in every format: `layout` says what it is meant as (a
 * workbook: a sheet per section, answers with their key path; a document: a chapter per section),
 * and `formats` which files the form offers. A CSV needs the one table it consists of (`csv`).
 */
export const ALL_FORMATS = ['xlsx', 'csv', 'docx', 'pdf', 'md'] as const;
export type ExportFormat = (typeof ALL_FORMATS)[number];

/** The compliance report every form has; a mapping cannot define a kind of this name. */
export const REPORT_KIND = 'rapport';

const Localized = z.union([z.string().min(1), z.object({ nl: z.string().min(1), en: z.string().min(1) }).strict()]);
export type LocalizedText = z.infer<typeof Localized>;

const Cel = z.string().min(1);
const ValueFormat = z.enum(['text', 'integer', 'decimal', 'eur', 'percentage', 'year', 'date', 'answer', 'boolean']);
export type ValueFormat = z.infer<typeof ValueFormat>;
const Id = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'een id is snake_case: kleine letters, cijfers en _');

const FieldSchema = z
  .object({
    id: Id.optional(),
    label: Localized.optional(),
    /** CEL over `self` (and `item`… inside a repeated section). */
    value: Cel.optional(),
    /** A key path in the submission: the value there, labelled by the schema's question. */
    path: z.string().min(1).optional(),
    formula: z.string().min(1).optional(),
    format: ValueFormat.optional(),
    /** A closed list of the form's rules: the value is shown by its label. */
    list: z.string().optional(),
    when: Cel.optional(),
  })
  .strict();

const ColumnSchema = z
  .object({
    id: Id,
    header: Localized,
    value: Cel.optional(),
    formula: z.string().min(1).optional(),
    format: ValueFormat.optional(),
    list: z.string().optional(),
    /** Relative width in documents and workbooks (default 1). */
    width: z.number().positive().max(10).optional(),
  })
  .strict();

const TableSchema = z
  .object({
    id: Id.optional(),
    title: Localized.optional(),
    /** Path pattern of the list whose items become rows (`praktijken[*]`, `a[*].b[*]`). */
    rows: z.string().min(1),
    where: Cel.optional(),
    columns: z.array(ColumnSchema).min(1),
    /** The totals row: a label and a formula per column id. */
    totals: z.object({ label: Localized }).catchall(z.string().min(1)).optional(),
    empty: Localized.optional(),
  })
  .strict();

const AnswersSchema = z
  .object({
    id: Id.optional(),
    title: Localized.optional(),
    /** Objects of the submission whose keys are listed in the schema's (question) order. */
    from: z.array(z.union([z.string().min(1), z.object({ path: z.string().min(1), when: Cel.optional() }).strict()])).min(1),
  })
  .strict();

/** One schema per kind of block, chosen by the key that names it, so an error names the right field. */
const BLOCK_SCHEMAS = {
  heading: z.object({ heading: Localized, params: z.record(z.string(), Cel).default({}), when: Cel.optional() }).strict(),
  paragraph: z.object({ paragraph: Localized, params: z.record(z.string(), Cel).default({}), when: Cel.optional() }).strict(),
  list: z.object({ list: Cel, title: Localized.optional(), empty: Localized.optional(), when: Cel.optional() }).strict(),
  fields: z.object({ fields: z.array(FieldSchema).min(1), id: Id.optional(), title: Localized.optional(), when: Cel.optional() }).strict(),
  table: z.object({ table: TableSchema, when: Cel.optional() }).strict(),
  answers: z.object({ answers: AnswersSchema, when: Cel.optional() }).strict(),
} as const;
type BlockKindName = keyof typeof BLOCK_SCHEMAS;
const BLOCK_KINDS = Object.keys(BLOCK_SCHEMAS) as BlockKindName[];
const BlockSchema = z.union([
  BLOCK_SCHEMAS.heading,
  BLOCK_SCHEMAS.paragraph,
  BLOCK_SCHEMAS.list,
  BLOCK_SCHEMAS.fields,
  BLOCK_SCHEMAS.table,
  BLOCK_SCHEMAS.answers,
]);

const SectionSchema = z
  .object({
    title: Localized,
    sheet: Localized.optional(),
    for: z.string().min(1).optional(),
    when: Cel.optional(),
    params: z.record(z.string(), Cel).default({}),
    /** Validated one by one in the compiler (see BLOCK_SCHEMAS). */
    blocks: z.array(z.record(z.string(), z.unknown())).min(1),
  })
  .strict();

const ExportKindSchema = z
  .object({
    title: Localized,
    description: Localized.optional(),
    layout: z.enum(['workbook', 'document']),
    formats: z.array(z.enum(ALL_FORMATS)).min(1),
    /** The table (or answers/fields block) a CSV consists of; required when `csv` is a format. */
    csv: Id.optional(),
    sections: z.array(SectionSchema).min(1),
  })
  .strict();

const ExportFileSchema = z.object({ exports: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'soort: kleine letters en -'), ExportKindSchema) }).strict();

type SectionSpec = z.infer<typeof SectionSchema>;
type BlockSpec = z.infer<typeof BlockSchema>;

export type Program = (context: Record<string, unknown>) => unknown;

/** A CEL expression with the mapping field it came from, for error messages. */
export interface CompiledExpression {
  run: Program;
  field: string;
}

export interface CompiledField {
  id?: string;
  label?: LocalizedText;
  value?: CompiledExpression;
  path?: (string | number)[];
  formula?: FormulaNode;
  format?: ValueFormat;
  list?: string;
  when?: CompiledExpression;
}

export interface CompiledColumn {
  id: string;
  header: LocalizedText;
  value?: CompiledExpression;
  formula?: FormulaNode;
  format?: ValueFormat;
  list?: string;
  width?: number;
}

export type CompiledBlock =
  | { kind: 'heading'; text: LocalizedText; params: [string, CompiledExpression][]; when?: CompiledExpression }
  | { kind: 'paragraph'; text: LocalizedText; params: [string, CompiledExpression][]; when?: CompiledExpression }
  | { kind: 'list'; items: CompiledExpression; title?: LocalizedText; empty?: LocalizedText; when?: CompiledExpression }
  | { kind: 'fields'; id?: string; title?: LocalizedText; fields: CompiledField[]; when?: CompiledExpression }
  | {
      kind: 'table';
      id?: string;
      title?: LocalizedText;
      /** Relative to a repeated section's item unless written with a leading "/". */
      rows: { absolute: boolean; segments: PathSegment[] };
      where?: CompiledExpression;
      columns: CompiledColumn[];
      totals?: { label: LocalizedText; formulas: Map<string, FormulaNode> };
      empty?: LocalizedText;
      when?: CompiledExpression;
    }
  | { kind: 'answers'; id?: string; title?: LocalizedText; from: { path: (string | number)[]; when?: CompiledExpression }[]; when?: CompiledExpression };

export interface CompiledSection {
  title: LocalizedText;
  sheet?: LocalizedText;
  for?: PathSegment[];
  when?: CompiledExpression;
  params: [string, CompiledExpression][];
  blocks: CompiledBlock[];
}

export interface ExportKind {
  name: string;
  title: LocalizedText;
  description?: LocalizedText;
  layout: 'workbook' | 'document';
  formats: ExportFormat[];
  csv?: string;
  sections: CompiledSection[];
}

export interface ExportMapping {
  file: string;
  kinds: ExportKind[];
  lists: ReadonlyMap<string, ClosedList>;
}

/** Loads and compiles a mapping file; throws DataFileError naming the file and the field. */
export function loadExportMapping(files: DataFiles, file: string, lists: ReadonlyMap<string, ClosedList>): ExportMapping {
  const raw = validateData(ExportFileSchema, readYamlData(files, file), file);
  const compiler = new MappingCompiler(file, lists);
  const kinds = Object.entries(raw.exports).map(([name, spec]) => compiler.kind(name, spec));
  return { file, kinds, lists };
}

class MappingCompiler {
  private readonly env: Environment;

  constructor(
    private readonly file: string,
    private readonly lists: ReadonlyMap<string, ClosedList>,
  ) {
    this.env = createFormEnvironment(lists);
  }

  private fail(field: string, problem: string): never {
    throw new DataFileError(this.file, field, problem);
  }

  private cel(expression: string, field: string): CompiledExpression {
    try {
      const parsed = this.env.parse(expression);
      const check = parsed.check();
      if (!check.valid) throw check.error ?? new Error('type error');
      return { run: parsed as Program, field };
    } catch (error) {
      this.fail(field, `ongeldige CEL-expressie "${expression}": ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  private pattern(text: string, field: string): PathSegment[] {
    try {
      return parsePathPattern(text);
    } catch (error) {
      this.fail(field, error instanceof Error ? error.message : String(error));
    }
  }

  private concretePath(text: string, field: string): (string | number)[] {
    const segments = this.pattern(text, field);
    return segments.map((segment) => {
      if (segment.kind === 'key') return segment.key;
      if (segment.kind === 'index') return segment.index;
      return this.fail(field, `"${text}": hier is een vast pad nodig, zonder [*] of [naam=…]`);
    });
  }

  private formula(text: string, field: string): FormulaNode {
    try {
      return parseFormula(text);
    } catch (error) {
      if (error instanceof FormulaSyntaxError) this.fail(field, `ongeldige formule "${text}": ${error.message}`);
      throw error;
    }
  }

  private list(name: string | undefined, field: string): string | undefined {
    if (name !== undefined && !this.lists.has(name)) this.fail(field, `onbekende lijst "${name}"; bekend: ${[...this.lists.keys()].join(', ')}`);
    return name;
  }

  private params(params: Record<string, string>, field: string): [string, CompiledExpression][] {
    return Object.entries(params).map(([name, expression]) => [name, this.cel(expression, `${field}.params.${name}`)]);
  }

  kind(name: string, spec: z.infer<typeof ExportKindSchema>): ExportKind {
    const field = `exports.${name}`;
    if (name === REPORT_KIND) this.fail(field, `"${REPORT_KIND}" is het nalevingsrapport dat elk formulier al heeft; kies een andere naam`);
    spec.formats.forEach((format, i) => {
      if (spec.formats.indexOf(format) !== i) this.fail(`${field}.formats[${i}]`, `${format} staat er twee keer in`);
    });
    const sections = spec.sections.map((section, i) => this.section(section, `${field}.sections[${i}]`));
    const kind: ExportKind = {
      name,
      title: spec.title,
      layout: spec.layout,
      formats: spec.formats,
      sections,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.csv ? { csv: spec.csv } : {}),
    };
    this.checkReferences(kind, field);
    if (spec.formats.includes('csv') && !spec.csv) this.fail(`${field}.csv`, 'ontbreekt: noem het id van de tabel waaruit de CSV bestaat');
    return kind;
  }

  private section(spec: SectionSpec, field: string): CompiledSection {
    return {
      title: spec.title,
      params: this.params(spec.params, field),
      blocks: spec.blocks.map((raw, i) => this.block(this.validateBlock(raw, `${field}.blocks[${i}]`), `${field}.blocks[${i}]`)),
      ...(spec.sheet ? { sheet: spec.sheet } : {}),
      ...(spec.for ? { for: this.pattern(spec.for, `${field}.for`) } : {}),
      ...(spec.when ? { when: this.cel(spec.when, `${field}.when`) } : {}),
    };
  }

  private validateBlock(raw: Record<string, unknown>, field: string): BlockSpec {
    const kinds = BLOCK_KINDS.filter((kind) => kind in raw);
    if (kinds.length !== 1) this.fail(field, kinds.length === 0 ? `een blok is een van ${BLOCK_KINDS.join(', ')}` : `één soort blok per item, niet ${kinds.join(' en ')}`);
    const kind = kinds[0] as BlockKindName;
    try {
      return validateData(BLOCK_SCHEMAS[kind], raw, this.file) as BlockSpec;
    } catch (error) {
      if (error instanceof DataFileError) this.fail(error.field ? `${field}.${error.field}` : field, error.problem);
      throw error;
    }
  }

  private block(spec: BlockSpec, field: string): CompiledBlock {
    const when = spec.when ? { when: this.cel(spec.when, `${field}.when`) } : {};
    if ('heading' in spec) return { kind: 'heading', text: spec.heading, params: this.params(spec.params, field), ...when };
    if ('paragraph' in spec) return { kind: 'paragraph', text: spec.paragraph, params: this.params(spec.params, field), ...when };
    if ('list' in spec) {
      return { kind: 'list', items: this.cel(spec.list, `${field}.list`), ...(spec.title ? { title: spec.title } : {}), ...(spec.empty ? { empty: spec.empty } : {}), ...when };
    }
    if ('fields' in spec) {
      return {
        kind: 'fields',
        fields: spec.fields.map((f, i) => this.field(f, `${field}.fields[${i}]`)),
        ...(spec.id ? { id: spec.id } : {}),
        ...(spec.title ? { title: spec.title } : {}),
        ...when,
      };
    }
    if ('answers' in spec) {
      const answers = spec.answers;
      return {
        kind: 'answers',
        from: answers.from.map((entry, i) => {
          const path = typeof entry === 'string' ? entry : entry.path;
          const f = `${field}.answers.from[${i}]`;
          return { path: this.concretePath(path, f), ...(typeof entry !== 'string' && entry.when ? { when: this.cel(entry.when, `${f}.when`) } : {}) };
        }),
        ...(answers.id ? { id: answers.id } : {}),
        ...(answers.title ? { title: answers.title } : {}),
        ...when,
      };
    }
    const table = spec.table;
    const tableField = `${field}.table`;
    const columnIds = new Set<string>();
    const columns = table.columns.map((column, i) => {
      const f = `${tableField}.columns[${i}]`;
      if (columnIds.has(column.id)) this.fail(`${f}.id`, `kolom ${column.id} staat er twee keer in`);
      columnIds.add(column.id);
      if ((column.value === undefined) === (column.formula === undefined)) this.fail(f, 'geef precies één van value of formula');
      return {
        id: column.id,
        header: column.header,
        ...(column.value ? { value: this.cel(column.value, `${f}.value`) } : {}),
        ...(column.formula ? { formula: this.formula(column.formula, `${f}.formula`) } : {}),
        ...(column.format ? { format: column.format } : {}),
        ...(this.list(column.list, `${f}.list`) ? { list: column.list } : {}),
        ...(column.width ? { width: column.width } : {}),
      } satisfies CompiledColumn;
    });
    let totals: { label: LocalizedText; formulas: Map<string, FormulaNode> } | undefined;
    if (table.totals) {
      const formulas = new Map<string, FormulaNode>();
      for (const [key, value] of Object.entries(table.totals)) {
        if (key === 'label') continue;
        if (!columnIds.has(key)) this.fail(`${tableField}.totals.${key}`, `geen kolom ${key} in deze tabel; kolommen: ${[...columnIds].join(', ')}`);
        if (typeof value !== 'string') this.fail(`${tableField}.totals.${key}`, 'verwacht een formule');
        formulas.set(key, this.formula(value, `${tableField}.totals.${key}`));
      }
      totals = { label: table.totals.label as LocalizedText, formulas };
    }
    return {
      kind: 'table',
      rows: { absolute: table.rows.startsWith('/'), segments: this.pattern(table.rows.replace(/^\//, ''), `${tableField}.rows`) },
      columns,
      ...(table.id ? { id: table.id } : {}),
      ...(table.title ? { title: table.title } : {}),
      ...(table.where ? { where: this.cel(table.where, `${tableField}.where`) } : {}),
      ...(totals ? { totals } : {}),
      ...(table.empty ? { empty: table.empty } : {}),
      ...when,
    };
  }

  private field(spec: z.infer<typeof FieldSchema>, field: string): CompiledField {
    const sources = [spec.value, spec.path, spec.formula].filter((s) => s !== undefined).length;
    if (sources !== 1) this.fail(field, 'geef precies één van value, path of formula');
    if (spec.formula !== undefined && spec.id === undefined && spec.label === undefined) this.fail(field, 'een formuleveld heeft een label nodig');
    if (spec.value !== undefined && spec.label === undefined) this.fail(`${field}.label`, 'ontbreekt (alleen een path-veld haalt zijn label uit het schema)');
    return {
      ...(spec.id ? { id: spec.id } : {}),
      ...(spec.label ? { label: spec.label } : {}),
      ...(spec.value ? { value: this.cel(spec.value, `${field}.value`) } : {}),
      ...(spec.path ? { path: this.concretePath(spec.path, `${field}.path`) } : {}),
      ...(spec.formula ? { formula: this.formula(spec.formula, `${field}.formula`) } : {}),
      ...(spec.format ? { format: spec.format } : {}),
      ...(this.list(spec.list, `${field}.list`) ? { list: spec.list } : {}),
      ...(spec.when ? { when: this.cel(spec.when, `${field}.when`) } : {}),
    };
  }

  /** Every id is unique in its export kind, and every formula reference names something that exists. */
  private checkReferences(kind: ExportKind, field: string): void {
    const tables = new Map<string, { columns: Set<string>; totals: Set<string> }>();
    const fields = new Set<string>();
    const blockIds = new Set<string>();
    const claim = (id: string, where: string) => {
      if (blockIds.has(id) || fields.has(id)) this.fail(where, `id ${id} is in ${kind.name} al gebruikt`);
    };
    kind.sections.forEach((section, s) => {
      section.blocks.forEach((block, b) => {
        const where = `${field}.sections[${s}].blocks[${b}]`;
        if (block.kind === 'table' && block.id) {
          claim(block.id, `${where}.table.id`);
          blockIds.add(block.id);
          tables.set(block.id, { columns: new Set(block.columns.map((c) => c.id)), totals: new Set(block.totals?.formulas.keys() ?? []) });
        }
        if ((block.kind === 'fields' || block.kind === 'answers') && block.id) {
          claim(block.id, `${where}.id`);
          blockIds.add(block.id);
        }
        if (block.kind === 'fields') {
          block.fields.forEach((f, i) => {
            if (!f.id) return;
            claim(f.id, `${where}.fields[${i}].id`);
            fields.add(f.id);
          });
        }
      });
    });
    const checkRef = (ref: string, where: string, table?: { id?: string; columns: Set<string> }) => {
      if (ref.startsWith('@')) {
        if (!table) this.fail(where, `[${ref}] (deze rij) kan alleen in een kolomformule van een tabel`);
        if (!table.columns.has(ref.slice(1))) this.fail(where, `[${ref}]: geen kolom ${ref.slice(1)} in deze tabel`);
        return;
      }
      const parts = ref.split('.');
      if (parts.length === 1) {
        if (!fields.has(ref)) this.fail(where, `[${ref}]: geen veld met id ${ref} in ${kind.name}`);
        return;
      }
      const target = tables.get(parts[0] ?? '');
      if (!target) this.fail(where, `[${ref}]: geen tabel met id ${parts[0]} in ${kind.name}`);
      if (!target.columns.has(parts[1] ?? '')) this.fail(where, `[${ref}]: tabel ${parts[0]} heeft geen kolom ${parts[1]}`);
      if (parts.length === 3 && (parts[2] !== 'total' || !target.totals.has(parts[1] ?? ''))) {
        this.fail(where, `[${ref}]: alleen .total van een kolom met een formule in totals kan`);
      }
    };
    kind.sections.forEach((section, s) => {
      section.blocks.forEach((block, b) => {
        const where = `${field}.sections[${s}].blocks[${b}]`;
        if (block.kind === 'table') {
          const own = { ...(block.id ? { id: block.id } : {}), columns: new Set(block.columns.map((c) => c.id)) };
          block.columns.forEach((column, i) => {
            if (column.formula) for (const ref of formulaRefs(column.formula)) checkRef(ref, `${where}.table.columns[${i}].formula`, own);
          });
          for (const [column, formula] of block.totals?.formulas ?? []) for (const ref of formulaRefs(formula)) checkRef(ref, `${where}.table.totals.${column}`);
        }
        if (block.kind === 'fields') {
          block.fields.forEach((f, i) => {
            if (f.formula) for (const ref of formulaRefs(f.formula)) checkRef(ref, `${where}.fields[${i}].formula`);
          });
        }
      });
    });
    if (kind.csv !== undefined && !blockIds.has(kind.csv)) this.fail(`${field}.csv`, `geen tabel, answers- of fields-blok met id ${kind.csv}`);
  }
}
