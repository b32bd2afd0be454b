import type { Finding } from './types.js';

/**
 * Quick fixes write the document's own line ends: a file saved with CR LF (Windows) gets CR LF in
 * every inserted line, so a fix never leaves a file with mixed line ends, whatever the editor does
 * with the text it inserts.
 */
export function usesCrlf(text: string): boolean {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1;
  return crlf > 0 && crlf === lf;
}

export function withDocumentLineEnds(findings: Finding[], text: string): Finding[] {
  if (!findings.some((f) => f.fixes?.some((fix) => fix.edits.some((e) => e.newText.includes('\n')))) || !usesCrlf(text)) return findings;
  return findings.map((finding) =>
    finding.fixes ? { ...finding, fixes: finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) })) } : finding,
  );
}
