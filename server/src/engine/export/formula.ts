/**
 * Spreadsheet formulas as export mappings write them: Excel syntax with named references in
 * brackets instead of cell addresses, so a mapping never hard-codes a row.
 *
 *   [@bedrag]              this row's cell in column `bedrag` (in a table column's formula)
 *   [kosten.bedrag]        the data cells of column `bedrag` of table `kosten` (a range)
 *   [kosten.bedrag.total]  that column's cell in the totals row of table `kosten`
 *   [tarief]               the value cell of the field with id `tarief`
 *
 * Functions: SUM, SUMIF, ROUND, IF, MIN, MAX, ABS; operators + - * / and comparisons
 * (= <> < > <= >=); numbers, "strings", TRUE and FALSE. The same tree renders to Excel text with
 * real addresses (the live formula in the workbook) and evaluates to the result that documents
 * show and that the workbook caches, so a reader without a calculation engine sees the number too.
 */

export type FormulaNode =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'ref'; name: string }
  | { kind: 'unary'; op: '-'; arg: FormulaNode }
  | { kind: 'binary'; op: BinaryOp; left: FormulaNode; right: FormulaNode }
  | { kind: 'call'; name: FunctionName; args: FormulaNode[] };

type BinaryOp = '+' | '-' | '*' | '/' | '=' | '<>' | '<' | '>' | '<=' | '>=';
const FUNCTIONS = ['SUM', 'SUMIF', 'ROUND', 'IF', 'MIN', 'MAX', 'ABS'] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const ARITY: Record<FunctionName, [number, number]> = { SUM: [1, 30], SUMIF: [3, 3], ROUND: [2, 2], IF: [3, 3], MIN: [1, 30], MAX: [1, 30], ABS: [1, 1] };

export class FormulaSyntaxError extends Error {}

/** A value during evaluation: a scalar, or a range (a list of scalars). */
export type FormulaValue = number | string | boolean | undefined | FormulaValue[];

/** The evaluation failed the way a spreadsheet's would (#DIV/0!, #VALUE!). */
export class FormulaValueError extends Error {}

type Token = { kind: 'num'; value: number } | { kind: 'str'; value: string } | { kind: 'ref'; name: string } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

const REF_NAME = /^@?[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*){0,2}$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const match = /^[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i));
      if (!match) throw new FormulaSyntaxError(`ongeldig getal bij "${text.slice(i, i + 8)}"`);
      tokens.push({ kind: 'num', value: Number(match[0]) });
      i += match[0].length;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new FormulaSyntaxError('tekst zonder sluitend aanhalingsteken');
      tokens.push({ kind: 'str', value: text.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '[') {
      const end = text.indexOf(']', i + 1);
      if (end < 0) throw new FormulaSyntaxError('verwijzing zonder sluitend ]');
      const name = text.slice(i + 1, end).trim();
      if (!REF_NAME.test(name)) throw new FormulaSyntaxError(`ongeldige verwijzing [${name}]; schrijf [veld], [tabel.kolom], [tabel.kolom.total] of [@kolom]`);
      tokens.push({ kind: 'ref', name });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      const match = /^[A-Za-z]+/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'name', value: match[0].toUpperCase() });
      i += match[0].length;
    } else {
      const two = text.slice(i, i + 2);
      if (two === '<>' || two === '<=' || two === '>=') {
        tokens.push({ kind: 'op', value: two });
        i += 2;
      } else if ('+-*/=<>(),'.includes(c)) {
        tokens.push({ kind: 'op', value: c });
        i++;
      } else {
        throw new FormulaSyntaxError(`onverwacht teken "${c}"`);
      }
    }
  }
  return tokens;
}

/** Parses a formula; throws FormulaSyntaxError with a Dutch explanation. */
export function parseFormula(text: string): FormulaNode {
  const tokens = tokenize(text.startsWith('=') ? text.slice(1) : text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (value: string) => {
    const token = peek();
    return token?.kind === 'op' && token.value === value;
  };
  const expect = (value: string) => {
    if (!isOp(value)) throw new FormulaSyntaxError(`"${value}" verwacht`);
    pos++;
  };

  const primary = (): FormulaNode => {
    const token = tokens[pos++];
    if (!token) throw new FormulaSyntaxError('formule houdt te vroeg op');
    if (token.kind === 'num') return { kind: 'number', value: token.value };
    if (token.kind === 'str') return { kind: 'string', value: token.value };
    if (token.kind === 'ref') return { kind: 'ref', name: token.name };
    if (token.kind === 'op' && token.value === '(') {
      const inner = comparison();
      expect(')');
      return inner;
    }
    if (token.kind === 'op' && token.value === '-') return { kind: 'unary', op: '-', arg: primary() };
    if (token.kind === 'name') {
      if (token.value === 'TRUE' || token.value === 'FALSE') return { kind: 'boolean', value: token.value === 'TRUE' };
      const name = token.value as FunctionName;
      if (!FUNCTIONS.includes(name)) throw new FormulaSyntaxError(`onbekende functie ${token.value}; bekend: ${FUNCTIONS.join(', ')}`);
      expect('(');
      const args: FormulaNode[] = [];
      if (!isOp(')')) {
        args.push(comparison());
        while (isOp(',')) {
          pos++;
          args.push(comparison());
        }
      }
      expect(')');
      const [min, max] = ARITY[name];
      if (args.length < min || args.length > max) throw new FormulaSyntaxError(`${name} verwacht ${min === max ? min : `${min} tot ${max}`} argumenten, niet ${args.length}`);
      return { kind: 'call', name, args };
    }
    throw new FormulaSyntaxError(`onverwacht "${token.kind === 'op' ? token.value : ''}"`);
  };
  const term = (): FormulaNode => {
    let left = primary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[pos++] as { value: string }).value as BinaryOp;
      left = { kind: 'binary', op, left, right: primary() };
    }
    return left;
  };
  const sum = (): FormulaNode => {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { value: string }).value as BinaryOp;
      left = { kind: 'binary', op, left, right: term() };
    }
    return left;
  };
  const comparison = (): FormulaNode => {
    const left = sum();
    for (const op of ['=', '<>', '<=', '>=', '<', '>'] as const) {
      if (isOp(op)) {
        pos++;
        return { kind: 'binary', op, left, right: sum() };
      }
    }
    return left;
  };

  const tree = comparison();
  if (pos < tokens.length) throw new FormulaSyntaxError('onverwachte tekst na het einde van de formule');
  return tree;
}

/** Every reference a formula names, for load-time checks. */
export function formulaRefs(node: FormulaNode): string[] {
  switch (node.kind) {
    case 'ref':
      return [node.name];
    case 'unary':
      return formulaRefs(node.arg);
    case 'binary':
      return [...formulaRefs(node.left), ...formulaRefs(node.right)];
    case 'call':
      return node.args.flatMap(formulaRefs);
    default:
      return [];
  }
}

/** Excel text for a formula, with each reference replaced by its address ("C5", "'Regio'!C5:C9"). */
export function renderFormula(node: FormulaNode, address: (ref: string) => string): string {
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'string':
      return `"${node.value}"`;
    case 'boolean':
      return node.value ? 'TRUE' : 'FALSE';
    case 'ref':
      return address(node.name);
    case 'unary':
      return `-${renderFormula(node.arg, address)}`;
    case 'binary': {
      const wrap = (child: FormulaNode) => (child.kind === 'binary' ? `(${renderFormula(child, address)})` : renderFormula(child, address));
      return `${wrap(node.left)}${node.op}${wrap(node.right)}`;
    }
    case 'call':
      return `${node.name}(${node.args.map((a) => renderFormula(a, address)).join(',')})`;
  }
}

function scalars(value: FormulaValue): FormulaValue[] {
  return Array.isArray(value) ? value.flatMap(scalars) : [value];
}

function asNumber(value: FormulaValue): number {
  if (Array.isArray(value)) throw new FormulaValueError('#VALUE!');
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new FormulaValueError('#VALUE!');
}

function same(a: FormulaValue, b: FormulaValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** Rounds half away from zero to `digits` decimals, as spreadsheets do. */
function roundHalfAway(value: number, digits: number): number {
  const factor = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + Number.EPSILON)) / factor;
}

/** Evaluates a formula; references resolve to a scalar (one cell) or a list (a range). */
export function evaluateFormula(node: FormulaNode, resolve: (ref: string) => FormulaValue): FormulaValue {
  const evaluate = (n: FormulaNode): FormulaValue => evaluateFormula(n, resolve);
  switch (node.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      return node.value;
    case 'ref':
      return resolve(node.name);
    case 'unary':
      return -asNumber(evaluate(node.arg));
    case 'binary': {
      const left = evaluate(node.left);
      const right = evaluate(node.right);
      switch (node.op) {
        case '+':
          return asNumber(left) + asNumber(right);
        case '-':
          return asNumber(left) - asNumber(right);
        case '*':
          return asNumber(left) * asNumber(right);
        case '/': {
          const divisor = asNumber(right);
          if (divisor === 0) throw new FormulaValueError('#DIV/0!');
          return asNumber(left) / divisor;
        }
        case '=':
          return same(left, right);
        case '<>':
          return !same(left, right);
        case '<':
          return asNumber(left) < asNumber(right);
        case '>':
          return asNumber(left) > asNumber(right);
        case '<=':
          return asNumber(left) <= asNumber(right);
        case '>=':
          return asNumber(left) >= asNumber(right);
      }
      return undefined;
    }
    case 'call': {
      const args = node.args.map(evaluate);
      switch (node.name) {
        case 'SUM':
          // Like a spreadsheet: text and empty cells in a range are skipped.
          return args.flatMap(scalars).reduce<number>((total, v) => total + (typeof v === 'number' ? v : 0), 0);
        case 'SUMIF': {
          const range = scalars(args[0]);
          const criterion = args[1];
          const sumRange = scalars(args[2]);
          let total = 0;
          range.forEach((value, i) => {
            const add = sumRange[i];
            if (same(value, criterion) && typeof add === 'number') total += add;
          });
          return total;
        }
        case 'ROUND':
          return roundHalfAway(asNumber(args[0]), asNumber(args[1]));
        case 'IF':
          return asNumber(args[0]) !== 0 ? args[1] : args[2];
        case 'MIN':
        case 'MAX': {
          const numbers = args.flatMap(scalars).filter((v): v is number => typeof v === 'number');
          if (numbers.length === 0) return 0;
          return node.name === 'MIN' ? Math.min(...numbers) : Math.max(...numbers);
        }
        case 'ABS':
          return Math.abs(asNumber(args[0]));
      }
    }
  }
  return undefined;
}
