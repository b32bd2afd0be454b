import type { Block, Cell, ExportDocument } from '../engine/export/index.js';

/**
 * Writes a document export as Markdown (CommonMark with GitHub tables): for a repository, a
 * review in a pull request, or a quick read. A forced export starts with the draft mark.
 */
export function writeMarkdown(document: ExportDocument): Uint8Array {
  const out: string[] = [];
  if (document.draft) out.push(`> **${escapeText(document.draft.toUpperCase())}**`, '');
  out.push(`# ${escapeText(document.title)}`, '');
  for (const line of document.subtitle) out.push(`${escapeText(line)}  `);
  out.push('');
  for (const section of document.sections) {
    out.push(`## ${escapeText(section.title)}`, '');
    for (const block of section.blocks) out.push(...blockLines(block), '');
  }
  return new TextEncoder().encode(`${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
}

function blockLines(block: Block): string[] {
  switch (block.kind) {
    case 'heading':
      return [`### ${escapeText(block.text)}`];
    case 'paragraph':
      return [block.muted ? `*${escapeText(block.text)}*` : escapeText(block.text)];
    case 'list':
      return block.items.map((item) => `- ${escapeText(item)}`);
    case 'fields':
      return [...(block.title ? [`### ${escapeText(block.title)}`, ''] : []), ...table(['', ''], block.rows.map((r) => [r.label, r.value]), [false, false], true)];
    case 'table': {
      const rows = block.rows.length > 0 ? block.rows : [block.columns.map((_, c) => ({ value: { type: 'empty' }, display: c === 0 ? `*${block.empty ?? ''}*` : '' }) as Cell)];
      const totals = block.totals ? [block.totals.map((c) => ({ ...c, display: c.display === '' ? '' : `**${c.display}**` }))] : [];
      const numeric = block.columns.map((_, c) => block.rows.some((row) => row[c]?.value.type === 'number'));
      return [...(block.title ? [`### ${escapeText(block.title)}`, ''] : []), ...table(block.columns.map((c) => c.header.display), [...rows, ...totals], numeric, false)];
    }
  }
}

function table(headers: string[], rows: Cell[][], numeric: boolean[], boldFirst: boolean): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(headers.map(escapeCell)),
    line(headers.map((_, c) => (numeric[c] ? '---:' : '---'))),
    ...rows.map((row) => line(row.map((cell, c) => (boldFirst && c === 0 && cell.display !== '' ? `**${escapeCell(cell.display)}**` : escapeCell(cell.display))))),
  ];
}

function escapeText(text: string): string {
  return text.replace(/([\\`*_<>[\]#|])/g, '\\$1');
}

function escapeCell(text: string): string {
  // Markdown emphasis added by this writer (**…**, *…*) stays; the rest is escaped; no line breaks in a cell.
  const emphasis = /^(\*\*?)(.*)\1$/s.exec(text);
  const inner = emphasis ? (emphasis[2] ?? '') : text;
  const escaped = inner.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  return emphasis ? `${emphasis[1]}${escaped}${emphasis[1]}` : escaped;
}
