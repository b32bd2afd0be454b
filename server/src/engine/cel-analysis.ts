/**
 * Static facts about CEL expressions, read from the syntax tree @marcbachmann/cel-js builds (the
 * `ast` of a parsed program: nodes `{op, args, start, end}`), for evaluating rules incrementally
 * in the editor without ever changing a result:
 *
 * - `freeReferences`: which variables an expression reads, and through which field chains
 *   (`item.gemeente in self.regio.gemeenten` reads `item` and `self.regio.gemeenten`), so a rule's
 *   verdict on an unchanged item can be reused while everything else it reads is unchanged;
 * - `comprehensionSites`: the `list.map(v, body)` / `list.filter(v, body)` whose body reads only
 *   `v`, so the body's value for an unchanged element can be reused (rules.ts rewrites them to
 *   `list.zt_map(site)` / `list.zt_filter(site)`).
 *
 * Anything this module does not understand makes it answer conservatively (more references, no
 * site), which only costs speed.
 */

interface CelNode {
  op: string;
  args: unknown;
  start?: number;
  end?: number;
}

/** `self.regio.gemeenten` → {name: 'self', fields: ['regio', 'gemeenten']}; a bare `dubbel` has no fields. */
export interface FreeReference {
  name: string;
  fields: string[];
}

/** Macros that bind their first argument as an iteration variable within the others. */
const BINDING_MACROS = new Set(['map', 'filter', 'all', 'exists', 'exists_one', 'existsOne']);

function isNode(value: unknown): value is CelNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as CelNode).op === 'string';
}

/** The iteration variable and the other arguments of a binding macro call, or undefined. */
function macroBinding(node: CelNode): { receiver: unknown; variable: string; rest: unknown[] } | undefined {
  if (node.op !== 'rcall' || !Array.isArray(node.args)) return undefined;
  const [name, receiver, list] = node.args as [unknown, unknown, unknown];
  if (typeof name !== 'string' || !BINDING_MACROS.has(name) || !Array.isArray(list)) return undefined;
  const first: unknown = list[0];
  if (!isNode(first) || first.op !== 'id' || typeof first.args !== 'string') return undefined;
  return { receiver, variable: first.args, rest: list.slice(1) };
}

/** A chain of field selections ending in a variable: `self.?a.b` → {name: 'self', fields: ['a', 'b']}. */
function selectionChain(node: CelNode): { chain?: FreeReference; base?: unknown } {
  const fields: string[] = [];
  let current: unknown = node;
  while (isNode(current) && (current.op === '.' || current.op === '.?') && Array.isArray(current.args)) {
    const [object, field] = current.args as [unknown, unknown];
    if (typeof field !== 'string') return { base: current.args };
    fields.unshift(field);
    current = object;
  }
  if (isNode(current) && current.op === 'id' && typeof current.args === 'string') return { chain: { name: current.args, fields } };
  return { base: current };
}

/** Every variable the expression reads from outside (not bound by its own macros), with its field chain. */
export function freeReferences(ast: unknown): FreeReference[] {
  const out: FreeReference[] = [];
  const visit = (value: unknown, bound: ReadonlySet<string>): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, bound);
      return;
    }
    if (!isNode(value)) return;
    if (value.op === 'id') {
      if (typeof value.args === 'string' && !bound.has(value.args)) out.push({ name: value.args, fields: [] });
      return;
    }
    if (value.op === '.' || value.op === '.?') {
      const { chain, base } = selectionChain(value);
      if (chain) {
        if (!bound.has(chain.name)) out.push(chain);
      } else visit(base, bound);
      return;
    }
    const binding = macroBinding(value);
    if (binding) {
      visit(binding.receiver, bound);
      const inner = new Set(bound).add(binding.variable);
      visit(binding.rest, inner);
      return;
    }
    visit(value.args, bound);
  };
  visit(ast, new Set());
  return out;
}

/** A comprehension whose body depends only on its element. */
export interface ComprehensionSite {
  kind: 'map' | 'filter';
  variable: string;
  /** The body's source text, to compile as a program of its own. */
  body: string;
  /** Where `.map(v, body)` starts (the dot) and ends (after the closing parenthesis) in the source. */
  start: number;
  end: number;
  /** The comprehension's node in the original tree, for `sameTree`. */
  node: unknown;
  /** The body's node in the original tree. */
  bodyNode: unknown;
}

const SUFFIX = /[\s)]*\.\s*(map|filter)\s*\(/y;

/**
 * The outermost comprehensions that can be memoised per element (a body reading nothing but its
 * variable), not counting those inside such a body (its own program finds those). Undefined when
 * the source positions cannot be trusted.
 */
export function comprehensionSites(source: string, ast: unknown): ComprehensionSite[] | undefined {
  const sites: ComprehensionSite[] = [];
  let trusted = true;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    const binding = macroBinding(value);
    const name = Array.isArray(value.args) ? value.args[0] : undefined;
    if (binding && (name === 'map' || name === 'filter') && binding.rest.length === 1) {
      const body = binding.rest[0];
      const reads = freeReferences(body);
      if (isNode(body) && reads.every((r) => r.name === binding.variable) && isNode(binding.receiver)) {
        const receiverEnd = binding.receiver.end;
        const bodyStart = body.start;
        const bodyEnd = body.end;
        const end = value.end;
        if (receiverEnd === undefined || bodyStart === undefined || bodyEnd === undefined || end === undefined) {
          trusted = false;
          return;
        }
        SUFFIX.lastIndex = receiverEnd;
        const suffix = SUFFIX.exec(source);
        // The suffix must be exactly `.map(` and the node must end with the call's `)`.
        if (!suffix || suffix[1] !== name || source[end - 1] !== ')') {
          trusted = false;
          return;
        }
        const dot = source.indexOf('.', receiverEnd);
        sites.push({ kind: name, variable: binding.variable, body: source.slice(bodyStart, bodyEnd), start: dot, end, node: value, bodyNode: body });
        visit(binding.receiver);
        return;
      }
    }
    visit(value.args);
  };
  visit(ast);
  return trusted ? sites : undefined;
}

/** The source with each site's `.map(v, body)` replaced by `.zt_map(<id>)` (or zt_filter). */
export function rewriteSites(source: string, sites: readonly ComprehensionSite[], ids: readonly number[]): string {
  const order = sites.map((site, i) => ({ site, id: ids[i] as number })).sort((a, b) => b.site.start - a.site.start);
  let out = source;
  for (const { site, id } of order) out = `${out.slice(0, site.start)}.zt_${site.kind}(${id})${out.slice(site.end)}`;
  return out;
}

/**
 * Whether two syntax trees are the same expression, ignoring source positions and type
 * annotations; a site's node in `a` must appear in `b` as `receiver.zt_<kind>(<its id>)`. Checks
 * that a rewrite changed nothing but the sites, and that a body's source slice parses to the body.
 */
export function sameTree(a: unknown, b: unknown, sites: ReadonlyMap<unknown, { kind: string; id: number }> = new Map()): boolean {
  const site = sites.get(a);
  if (site && isNode(a) && isNode(b)) {
    if (b.op !== 'rcall' || !Array.isArray(b.args) || !Array.isArray(a.args)) return false;
    const [name, receiver, list] = b.args as [unknown, unknown, unknown];
    const id: unknown = Array.isArray(list) ? list[0] : undefined;
    return (
      name === `zt_${site.kind}` &&
      Array.isArray(list) &&
      list.length === 1 &&
      isNode(id) &&
      id.op === 'value' &&
      id.args === BigInt(site.id) &&
      sameTree(a.args[1], receiver, sites)
    );
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameTree(item, b[i], sites));
  }
  if (isNode(a) || isNode(b)) {
    if (!isNode(a) || !isNode(b) || a.op !== b.op) return false;
    return sameTree(a.args, b.args, sites);
  }
  return Object.is(a, b);
}
