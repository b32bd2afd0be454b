import { readFileSync } from 'node:fs';

/**
 * Reads a submission from disk as text. Bytes that are not UTF-8 are refused with a reason
 * instead of being silently replaced, so nothing the consultant wrote is misread.
 */
export type ReadResult = { ok: true; text: string } | { ok: false; reason: 'encoding' | 'io'; detail: string };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeSubmission(bytes: Uint8Array): ReadResult {
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return { ok: false, reason: 'encoding', detail: `ongeldige UTF-8 bij byte ${at}` };
  }
}

export function readSubmission(path: string): ReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, reason: 'io', detail: error instanceof Error ? error.message : String(error) };
  }
  return decodeSubmission(bytes);
}

/** Offset of the first byte that breaks UTF-8, for the message. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i] ?? 0;
    const length = byte < 0x80 ? 1 : byte >> 5 === 0b110 ? 2 : byte >> 4 === 0b1110 ? 3 : byte >> 3 === 0b11110 ? 4 : 0;
    if (length === 0) return i;
    for (let j = 1; j < length; j++) if (((bytes[i + j] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return i;
}
