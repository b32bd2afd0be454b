import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The file changed on disk between reading and writing: nothing was written. */
export class ChangedOnDiskError extends Error {}

/**
 * Replaces a file's contents atomically: a temporary file next to it (same folder, so the rename
 * stays on one file system), flushed to disk, with the original's permissions, renamed over it.
 * When `expected` is given and the file no longer holds those bytes, nothing is written: someone
 * (an editor) changed it in the meantime.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, expected?: Uint8Array): void {
  if (expected) {
    const now = readFileSync(path);
    if (!now.equals(Buffer.from(expected))) throw new ChangedOnDiskError(`${path} is gewijzigd terwijl zorgtoets het bewerkte; er is niets geschreven`);
  }
  const mode = statSync(path).mode & 0o7777;
  const temp = join(dirname(path), `.${basename(path)}.zorgtoets-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed or never created: nothing to clean up.
    }
    throw error;
  }
}
