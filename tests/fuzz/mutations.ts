import fc from 'fast-check';

/**
 * Mutations a consultant's editor sees: lines deleted or duplicated, indentation swapped, text
 * truncated, random unicode pasted, tabs, CRLF line ends, a byte-order mark, characters replaced.
 */
export type Mutation =
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'indent'; at: number; delta: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace-char'; at: number; char: string }
  | { kind: 'tabs' }
  | { kind: 'crlf' }
  | { kind: 'bom' };

const position = fc.double({ min: 0, max: 1, noNaN: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: position }),
  fc.record({ kind: fc.constant('indent' as const), at: position, delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom(': ', '- ', '&a ', '*a', '[', '{', '"', "'", '#', '\t', '---\n', 'ja', '112.000', '\u0000', '\uFFFD', '🙂')) }),
  fc.record({ kind: fc.constant('replace-char' as const), at: position, char: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) }),
  fc.record({ kind: fc.constant('tabs' as const) }),
  fc.record({ kind: fc.constant('crlf' as const) }),
  fc.record({ kind: fc.constant('bom' as const) }),
);

export function applyMutation(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const lineAt = (at: number) => Math.min(lines.length - 1, Math.floor(at * lines.length));
  const offsetAt = (at: number) => Math.min(text.length, Math.floor(at * text.length));
  switch (m.kind) {
    case 'delete-line':
      lines.splice(lineAt(m.at), 1);
      return lines.join('\n');
    case 'duplicate-line': {
      const i = lineAt(m.at);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 'indent': {
      const i = lineAt(m.at);
      const line = lines[i] ?? '';
      lines[i] = m.delta >= 0 ? ' '.repeat(m.delta) + line : line.replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, offsetAt(m.at));
    case 'insert': {
      const at = offsetAt(m.at);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'replace-char': {
      const at = offsetAt(m.at);
      return text.slice(0, at) + m.char + text.slice(at + 1);
    }
    case 'tabs':
      return text.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2));
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'bom':
      return `\uFEFF${text}`;
  }
}
