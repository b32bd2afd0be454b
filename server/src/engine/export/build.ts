import { isMissingData } from '../rules.js';
import { fillTemplate, type LabelLookup } from '../message-format.js';
import { expandPattern, isRecord, valueAt, type PathSegment } from '../paths.js';
import type { MessageParams, MessageValue } from '../raw-finding.js';
import type { DataPath, Lang } from '../types.js';
import { formulaInput, makeCell, numberCell, textCell, type LabelFor } from './cells.js';
import { DEVIATIONS_TEXT, type DeviationEntry } from './deviations.js';
import { evaluateFormula, FormulaValueError, renderFormula, type FormulaNode, type FormulaValue } from './formula.js';
import type { CompiledBlock, CompiledExpression, CompiledSection, ExportKind, LocalizedText, ValueFormat } from './mapping.js';
import type { Block, Cell, ExportDocument, NumberFormat, Section, TableBlock } from './model.js';
import { humanize, type SchemaLookup } from './schema-lookup.js';

/**
 * Runs an export mapping over a submission: sections (repeated per list item where the mapping
 * says `for`), blocks, cells with their typed values and display text, the workbook grid (every
 * cell's row and column), and the formulas — rendered to Excel text with real addresses and
 * evaluated to the result documents show. Pure: data in, model out.
 */

export interface BuildInput {
  kind: ExportKind;
  data: Record<string, unknown>;
  lang: Lang;
  labels: LabelLookup;
  schema: SchemaLookup;
  title: string;
  subtitle: string[];
  draft?: string;
  deviations: DeviationEntry[];
  metadata: ExportDocument['metadata'];
}

export interface BuildResult {
  document: ExportDocument;
  /** Mapping expressions that failed on this data for another reason than missing data. */
  problems: string[];
}

type Context = Record<string, unknown>;

/** The item a (repeated) section is about, and where it sits in the submission. */
interface Base {
  value: unknown;
  path: DataPath;
}

interface Scope {
  /** Index of the output section (a repeated section has one per item). */
  section: number;
  sheet: string;
}

interface PendingFormula {
  cell: Cell;
  node: FormulaNode;
  format: NumberFormat;
  scope: Scope;
  /** This row's cells by column id, for `[@column]`. */
  row?: Map<string, Cell>;
  field: string;
}

interface TableCells {
  scope: Scope;
  columns: Map<string, Cell[]>;
  totals: Map<string, Cell>;
}

const WORDS = {
  empty: { nl: '(geen)', en: '(none)' },
  answers: {
    nr: { nl: 'Nr.', en: 'No.' },
    vraag: { nl: 'Vraag', en: 'Question' },
    antwoord: { nl: 'Antwoord', en: 'Answer' },
    veld: { nl: 'Veld', en: 'Field' },
  },
} as const;

export function localize(text: LocalizedText, lang: Lang): string {
  return typeof text === 'string' ? text : text[lang];
}

/** CEL results as plain data: counts (BigInt) become numbers, maps become records. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), plain(v)]));
  return value;
}

function numberFormatOf(format: ValueFormat | undefined): NumberFormat {
  return format === 'integer' || format === 'eur' || format === 'percentage' || format === 'year' ? format : 'decimal';
}

export function buildExport(input: BuildInput): BuildResult {
  return new Builder(input).build();
}

class Builder {
  private readonly problems: string[] = [];
  private readonly sections: Section[] = [];
  private readonly pending = new Map<Cell, PendingFormula>();
  private readonly fields = new Map<string, { scope: Scope; cell: Cell }[]>();
  private readonly tables = new Map<string, TableCells[]>();
  private readonly sheetNames = new Set<string>();
  private readonly labelFor: LabelFor;
  private csvFound = false;

  constructor(private readonly input: BuildInput) {
    this.labelFor = (list, value) => input.labels(list, value, input.lang);
  }

  build(): BuildResult {
    const { kind, data } = this.input;
    kind.sections.forEach((section) => this.section(section, data));
    this.deviationsSection();
    this.resolveFormulas();
    const document: ExportDocument = {
      kind: kind.name,
      layout: kind.layout,
      lang: this.input.lang,
      title: this.input.title,
      subtitle: this.input.subtitle,
      sections: this.sections,
      metadata: this.input.metadata,
      ...(this.input.draft ? { draft: this.input.draft } : {}),
      ...(kind.csv && this.csvFound ? { csvBlock: kind.csv } : {}),
    };
    return { document, problems: this.problems };
  }

  private run(expression: CompiledExpression, context: Context): unknown {
    try {
      return plain(expression.run(context));
    } catch (error) {
      if (!isMissingData(error)) this.problems.push(`${expression.field}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
      return undefined;
    }
  }

  private holds(expression: CompiledExpression | undefined, context: Context): boolean {
    return expression === undefined || this.run(expression, context) === true;
  }

  private text(text: LocalizedText, params: [string, CompiledExpression][], context: Context): string {
    const values: MessageParams = {};
    for (const [name, expression] of params) {
      const value = this.run(expression, context);
      if (value !== undefined) values[name] = value as MessageValue;
    }
    return fillTemplate(localize(text, this.input.lang), values, this.input.lang, this.input.labels);
  }

  private sheetName(wanted: string): string {
    const base = wanted.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 31) || 'Blad';
    let name = base;
    for (let n = 2; this.sheetNames.has(name.toLowerCase()); n++) name = `${base.slice(0, 31 - String(n).length - 3)} (${n})`;
    this.sheetNames.add(name.toLowerCase());
    return name;
  }

  private section(spec: CompiledSection, data: Record<string, unknown>): void {
    const instances: { context: Context; base: Base }[] = [];
    if (spec.for) {
      for (const expansion of expandPattern(data, spec.for)) {
        instances.push({ context: { self: data, section: expansion.value, index: Number(expansion.path[expansion.path.length - 1] ?? 0) }, base: { value: expansion.value, path: expansion.path } });
      }
    } else {
      instances.push({ context: { self: data }, base: { value: data, path: [] } });
    }
    for (const instance of instances) {
      if (!this.holds(spec.when, instance.context)) continue;
      const title = this.text(spec.title, spec.params, instance.context);
      const sheet = this.sheetName(spec.sheet ? this.text(spec.sheet, spec.params, instance.context) : title);
      const section: Section = { title, sheet, blocks: [] };
      const scope: Scope = { section: this.sections.length, sheet };
      this.sections.push(section);
      const layout = new Grid(this.input.draft ? 2 : 1);
      section.titleCell = { ...textCell(title, true), address: { row: layout.row, column: 1 } };
      layout.next(2);
      for (const block of spec.blocks) this.block(block, section, scope, layout, instance.context, instance.base, spec.for !== undefined);
    }
  }

  private block(spec: CompiledBlock, section: Section, scope: Scope, grid: Grid, context: Context, base: Base, repeated: boolean): void {
    if (!this.holds(spec.when, context)) return;
    const lang = this.input.lang;
    const add = (block: Block) => section.blocks.push(block);
    switch (spec.kind) {
      case 'heading':
      case 'paragraph': {
        const text = this.text(spec.text, spec.params, context);
        add(spec.kind === 'heading' ? { kind: 'heading', text, row: grid.row } : { kind: 'paragraph', text, row: grid.row });
        grid.next(2);
        return;
      }
      case 'list': {
        const value = this.run(spec.items, context);
        const items = (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map((v) => makeCell(v, undefined, lang, undefined, this.labelFor).display).filter((t) => t !== '');
        if (spec.title) {
          add({ kind: 'heading', text: localize(spec.title, lang), row: grid.row });
          grid.next();
        }
        if (items.length === 0) add({ kind: 'paragraph', text: localize(spec.empty ?? WORDS.empty, lang), muted: true, row: grid.row });
        else add({ kind: 'list', items, row: grid.row });
        grid.next(Math.max(items.length, 1) + 1);
        return;
      }
      case 'fields': {
        if (spec.title) grid.next();
        const rows: { label: Cell; value: Cell; id?: string }[] = [];
        spec.fields.forEach((field, i) => {
          if (!this.holds(field.when, context)) return;
          const path = field.path ? this.absolutePath(field.path, base, repeated) : undefined;
          const node = path ? this.input.schema.node(path) : undefined;
          const labelText = field.label ? this.text(field.label, [], context) : path ? this.input.schema.label(path, lang) : (field.id ?? '');
          const label = { ...textCell(labelText, true), address: { row: grid.row, column: 1 } };
          let value: Cell;
          if (field.formula) {
            value = textCell('');
            this.pending.set(value, { cell: value, node: field.formula, format: numberFormatOf(field.format), scope, field: `fields[${i}].formula` });
          } else {
            const raw = field.value ? this.run(field.value, context) : path ? valueAt(this.input.data, path) : undefined;
            const format = field.format ?? (path ? this.input.schema.format(path, node) : undefined);
            value = makeCell(raw, format ?? (path && this.input.schema.isDeclaration(node) ? 'answer' : undefined), lang, field.list, this.labelFor);
          }
          value.address = { row: grid.row, column: 2 };
          grid.next();
          rows.push({ label, value, ...(field.id ? { id: field.id } : {}) });
          if (field.id) this.register(this.fields, field.id, { scope, cell: value });
        });
        add({ kind: 'fields', rows, ...(spec.id ? { id: spec.id } : {}), ...(spec.title ? { title: localize(spec.title, lang) } : {}) });
        if (spec.id && spec.id === this.input.kind.csv) this.csvFound = true;
        grid.next();
        return;
      }
      case 'answers': {
        const table = this.answers(spec.from, context, base, repeated, grid, spec.title ? localize(spec.title, lang) : undefined, spec.id);
        add(table);
        if (spec.id && spec.id === this.input.kind.csv) this.csvFound = true;
        return;
      }
      case 'table': {
        add(this.table(spec, scope, grid, context, base, repeated));
        if (spec.id && spec.id === this.input.kind.csv) this.csvFound = true;
        return;
      }
    }
  }

  /** Inside a repeated section a path is relative to the section's item. */
  private absolutePath(path: (string | number)[], base: Base, repeated: boolean): DataPath {
    return repeated ? [...base.path, ...path] : path;
  }

  private table(spec: Extract<CompiledBlock, { kind: 'table' }>, scope: Scope, grid: Grid, context: Context, base: Base, repeated: boolean): TableBlock {
    const lang = this.input.lang;
    if (spec.title) grid.next();
    const headerRow = grid.row;
    const columns = spec.columns.map((column, c) => ({
      id: column.id,
      header: { ...textCell(localize(column.header, lang), true), address: { row: headerRow, column: c + 1 } },
      ...(column.width ? { width: column.width } : {}),
    }));
    grid.next();
    const root = repeated && spec.rows.absolute === false ? base.value : this.input.data;
    const cellsByColumn = new Map<string, Cell[]>(spec.columns.map((c) => [c.id, []]));
    const rows: Cell[][] = [];
    for (const expansion of expandPattern(root, spec.rows.segments)) {
      const rowContext: Context = { ...context, item: expansion.value, index: Number(expansion.path[expansion.path.length - 1] ?? 0) };
      expansion.bound.forEach((value, level) => (rowContext[`item${level}`] = value));
      if (!this.holds(spec.where, rowContext)) continue;
      const rowCells = new Map<string, Cell>();
      const row = spec.columns.map((column, c) => {
        let cell: Cell;
        if (column.formula) {
          cell = textCell('');
          this.pending.set(cell, { cell, node: column.formula, format: numberFormatOf(column.format), scope, row: rowCells, field: `columns.${column.id}.formula` });
        } else {
          cell = makeCell(column.value ? this.run(column.value, rowContext) : undefined, column.format, lang, column.list, this.labelFor);
        }
        cell.address = { row: grid.row, column: c + 1 };
        rowCells.set(column.id, cell);
        cellsByColumn.get(column.id)?.push(cell);
        return cell;
      });
      rows.push(row);
      grid.next();
    }
    const emptyText = localize(spec.empty ?? WORDS.empty, lang);
    if (rows.length === 0) {
      // The placeholder row keeps the columns' ranges valid for formulas (a SUM over it is 0).
      spec.columns.forEach((column, c) => cellsByColumn.get(column.id)?.push({ ...textCell(c === 0 ? emptyText : ''), address: { row: grid.row, column: c + 1 } }));
      grid.next();
    }
    let totals: Cell[] | undefined;
    const totalsByColumn = new Map<string, Cell>();
    if (spec.totals) {
      const totalsRow = grid.row;
      totals = spec.columns.map((column, c) => {
        const formula = spec.totals?.formulas.get(column.id);
        let cell: Cell;
        if (formula) {
          cell = { ...textCell(''), bold: true };
          this.pending.set(cell, { cell, node: formula, format: numberFormatOf(column.format), scope, field: `totals.${column.id}` });
          totalsByColumn.set(column.id, cell);
        } else {
          cell = textCell(c === 0 && spec.totals ? localize(spec.totals.label, lang) : '', true);
        }
        cell.address = { row: totalsRow, column: c + 1 };
        return cell;
      });
      grid.next();
    }
    grid.next();
    if (spec.id) this.register(this.tables, spec.id, { scope, columns: cellsByColumn, totals: totalsByColumn });
    return {
      kind: 'table',
      columns,
      rows,
      ...(totals ? { totals } : {}),
      ...(spec.id ? { id: spec.id } : {}),
      ...(spec.title ? { title: localize(spec.title, lang) } : {}),
      ...(rows.length === 0 ? { empty: emptyText } : {}),
    };
  }

  /** Answers in the schema's (question) order: one row per key, nested objects and lists included. */
  private answers(from: { path: (string | number)[]; when?: CompiledExpression }[], context: Context, base: Base, repeated: boolean, grid: Grid, title: string | undefined, id: string | undefined): TableBlock {
    const lang = this.input.lang;
    const schema = this.input.schema;
    if (title) grid.next();
    const headerRow = grid.row;
    // The key path helps whoever enters the answers elsewhere (workbook, CSV); a document reads without it.
    const withField = this.input.kind.layout === 'workbook';
    const headers = [WORDS.answers.nr, WORDS.answers.vraag, WORDS.answers.antwoord, ...(withField ? [WORDS.answers.veld] : [])];
    const columns = ['nr', 'vraag', 'antwoord', ...(withField ? ['veld'] : [])].map((columnId, c) => ({
      id: columnId,
      header: { ...textCell((headers[c] as { nl: string; en: string })[lang], true), address: { row: headerRow, column: c + 1 } },
      width: [0.5, 4, 2, 2.5][c] as number,
    }));
    grid.next();
    const rows: Cell[][] = [];
    const emit = (path: DataPath, value: unknown, format: ValueFormat | undefined, from: DataPath) => {
      const cells = [
        numberCell(rows.length + 1, 'integer', lang),
        textCell(itemLabel(path, from.length) + schema.label(path, lang)),
        makeCell(value, format, lang, undefined, this.labelFor),
        ...(withField ? [textCell(formatDataPath(path))] : []),
      ];
      cells.forEach((cell, c) => (cell.address = { row: grid.row, column: c + 1 }));
      rows.push(cells);
      grid.next();
    };
    const walk = (path: DataPath, value: unknown, from: DataPath) => {
      const node = schema.node(path);
      // A mapping in the data is walked even where the schema says nothing of it (unknown keys
      // still belong to the answers); the schema only gives the order and the unanswered questions.
      if (isRecord(value) || (value === undefined && schema.isObject(node))) {
        const keys = schema.keys(node);
        const record = isRecord(value) ? value : {};
        for (const key of keys) {
          const child = record[key];
          const childNode = schema.node([...path, key]);
          if (child === undefined && !schema.isDeclaration(childNode)) continue;
          walk([...path, key], child, from);
        }
        // Keys the schema does not know still belong to the answers (in the order written).
        for (const key of Object.keys(record)) if (!keys.includes(key)) walk([...path, key], record[key], from);
        return;
      }
      if (Array.isArray(value) && value.some((v) => isRecord(v))) {
        value.forEach((item, i) => walk([...path, i], item, from));
        return;
      }
      emit(path, value, schema.format(path, node) ?? (schema.isDeclaration(node) ? 'answer' : undefined), from);
    };
    for (const entry of from) {
      if (!this.holds(entry.when, context)) continue;
      const path = this.absolutePath(entry.path, base, repeated);
      walk(path, valueAt(this.input.data, path), path);
    }
    grid.next();
    return { kind: 'table', columns, rows, ...(id ? { id } : {}), ...(title ? { title } : {}) };
  }

  private deviationsSection(): void {
    const lang = this.input.lang;
    const title = DEVIATIONS_TEXT.title[lang];
    const sheet = this.sheetName(DEVIATIONS_TEXT.sheet[lang]);
    const grid = new Grid(this.input.draft ? 2 : 1);
    const section: Section = { title, sheet, blocks: [], titleCell: { ...textCell(title, true), address: { row: grid.row, column: 1 } } };
    grid.next(2);
    section.blocks.push(...deviationBlocks(this.input.deviations, lang, grid));
    this.sections.push(section);
  }

  private register<T>(map: Map<string, T[]>, id: string, value: T): void {
    const list = map.get(id) ?? [];
    list.push(value);
    map.set(id, list);
  }

  /** Renders every formula with real addresses and evaluates it, in dependency order. */
  private resolveFormulas(): void {
    const lang = this.input.lang;
    const done = new Set<Cell>();
    const visiting = new Set<Cell>();
    const valueOf = (cell: Cell): FormulaValue => {
      const pending = this.pending.get(cell);
      if (pending && !done.has(cell)) evaluate(pending);
      return formulaInput(cell.value);
    };
    const pick = <T extends { scope: Scope }>(list: T[] | undefined, scope: Scope): T | undefined => list?.find((e) => e.scope.section === scope.section) ?? list?.[0];
    const target = (ref: string, pending: PendingFormula): { cells: Cell[]; scope: Scope } | undefined => {
      if (ref.startsWith('@')) {
        const cell = pending.row?.get(ref.slice(1));
        return cell ? { cells: [cell], scope: pending.scope } : undefined;
      }
      const [first = '', column = '', total] = ref.split('.');
      if (!column) {
        const found = pick(this.fields.get(first), pending.scope);
        return found ? { cells: [found.cell], scope: found.scope } : undefined;
      }
      const table = pick(this.tables.get(first), pending.scope);
      if (!table) return undefined;
      if (total) {
        const cell = table.totals.get(column);
        return cell ? { cells: [cell], scope: table.scope } : undefined;
      }
      return { cells: table.columns.get(column) ?? [], scope: table.scope };
    };
    const evaluate = (pending: PendingFormula): void => {
      const cell = pending.cell;
      if (visiting.has(cell)) throw new FormulaValueError('#CIRCULAR!');
      visiting.add(cell);
      const address = (ref: string): string => {
        const found = target(ref, pending);
        if (!found || found.cells.length === 0) return '0';
        const prefix = found.scope.sheet === pending.scope.sheet ? '' : `'${found.scope.sheet.replace(/'/g, "''")}'!`;
        const first = found.cells[0] as Cell;
        const last = found.cells[found.cells.length - 1] as Cell;
        const a = a1(first);
        return found.cells.length === 1 || ref.split('.').length === 1 ? `${prefix}${a}` : `${prefix}${a}:${a1(last)}`;
      };
      cell.formula = renderFormula(pending.node, address);
      try {
        const result = evaluateFormula(pending.node, (ref) => {
          const found = target(ref, pending);
          if (!found) return undefined;
          const values = found.cells.map(valueOf);
          return ref.startsWith('@') || ref.split('.').length !== 2 ? values[0] : values;
        });
        if (typeof result === 'number' && Number.isFinite(result)) cell.value = { type: 'number', value: result, format: pending.format };
        else if (typeof result === 'boolean') cell.value = { type: 'boolean', value: result };
        else if (typeof result === 'string') cell.value = { type: 'text', text: result };
        else cell.value = { type: 'empty' };
        cell.display = cell.value.type === 'number' ? numberCell(cell.value.value, pending.format, lang).display : makeCell(formulaInput(cell.value), undefined, lang).display;
      } catch (error) {
        if (!(error instanceof FormulaValueError)) throw error;
        cell.value = { type: 'empty' };
        cell.display = error.message;
        cell.formulaError = error.message;
        if (error.message === '#CIRCULAR!') this.problems.push(`${pending.field}: kringverwijzing`);
      } finally {
        visiting.delete(cell);
        done.add(cell);
      }
    };
    for (const pending of this.pending.values()) if (!done.has(pending.cell)) evaluate(pending);
  }
}

/** The "Afwijkingen en toelichting" blocks: the deviations as a table, or a line saying there are none. */
export function deviationBlocks(deviations: readonly DeviationEntry[], lang: Lang, grid = new Grid(1)): Block[] {
  if (deviations.length === 0) {
    const row = grid.row;
    grid.next(2);
    return [{ kind: 'paragraph', text: DEVIATIONS_TEXT.none[lang], muted: true, row }];
  }
  const blocks: Block[] = [{ kind: 'paragraph', text: DEVIATIONS_TEXT.intro[lang], row: grid.row }];
  grid.next(2);
  const withStatus = deviations.some((d) => d.status !== undefined);
  const ids: (keyof typeof DEVIATIONS_TEXT.columns)[] = ['id', 'title', 'pad', 'toelichting', ...(withStatus ? (['status'] as const) : [])];
  const headerRow = grid.row;
  const columns = ids.map((id, c) => ({
    id,
    header: { ...textCell(DEVIATIONS_TEXT.columns[id][lang], true), address: { row: headerRow, column: c + 1 } },
    width: { id: 1.2, title: 3, pad: 2, toelichting: 4, status: 1.5 }[id],
  }));
  grid.next();
  const rows = deviations.map((d) => {
    const cells = [textCell(d.id), textCell(d.title ?? ''), textCell(d.pad ?? ''), textCell(d.toelichting ?? DEVIATIONS_TEXT.missing[lang]), ...(withStatus ? [textCell(d.status ?? '')] : [])];
    cells.forEach((cell, c) => (cell.address = { row: grid.row, column: c + 1 }));
    grid.next();
    return cells;
  });
  blocks.push({ kind: 'table', id: 'afwijkingen', columns, rows });
  return blocks;
}

/** The next free row of a worksheet while blocks are laid out top to bottom. */
export class Grid {
  constructor(public row: number) {}
  next(rows = 1): void {
    this.row += rows;
  }
}

function columnLetters(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

function a1(cell: Cell): string {
  const address = cell.address ?? { row: 1, column: 1 };
  return `${columnLetters(address.column)}${address.row}`;
}

/** "Programmas 2 — " for a key inside the second item of a list below `from`, so nested answers stay apart. */
function itemLabel(path: DataPath, from: number): string {
  const parts: string[] = [];
  path.forEach((segment, i) => {
    const key = path[i - 1];
    if (i >= from && typeof segment === 'number' && typeof key === 'string') parts.push(`${humanize(key)} ${segment + 1}`);
  });
  return parts.length > 0 ? `${parts.join(', ')} — ` : '';
}

/** `praktijken[2].naam` */
export function formatDataPath(path: DataPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export type { PathSegment };
