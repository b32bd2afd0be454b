import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes a file so that it is either there complete or not there at all: the bytes go to a hidden
 * temporary file in the same folder (same file system, so the final step is atomic), are flushed
 * to disk, and only then take the final name — by a hard link that fails if the name exists (no
 * overwrite without consent, even against a file created meanwhile), or by a rename when
 * overwriting is allowed. A failure removes the temporary file; Ctrl-C or a termination signal
 * during the write removes it too. A process killed outright (SIGKILL, power loss) cannot clean
 * up: its hidden temporary file never has the final name, and the next write to that folder
 * removes it once its process is gone.
 */

export class OutputExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} bestaat al`);
    this.name = 'OutputExistsError';
  }
}

export interface AtomicWriteOptions {
  /** Replace an existing file (the user said so). */
  overwrite: boolean;
}

const TEMP = /^\.(.+)\.zorgtoets-(\d+)-[0-9a-f]+\.tmp$/;
const inFlight = new Set<string>();

function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.zorgtoets-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files that writes killed outright left in a folder (their process is gone). */
export function removeStaleTemps(folder: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = TEMP.exec(name);
    if (!match || alive(Number(match[2]))) continue;
    try {
      unlinkSync(join(folder, name));
      removed.push(name);
    } catch {
      // Another process may have removed it first; nothing to do.
    }
  }
  return removed;
}

function onSignal(signal: NodeJS.Signals): void {
  for (const path of inFlight) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  }
  inFlight.clear();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

export async function writeFileAtomic(target: string, content: Uint8Array | AsyncIterable<Uint8Array>, options: AtomicWriteOptions): Promise<void> {
  const path = resolve(target);
  removeStaleTemps(dirname(path));
  if (!options.overwrite && existsSync(path)) throw new OutputExistsError(target);
  const temp = tempName(path);
  inFlight.add(temp);
  if (inFlight.size === 1) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      if (content instanceof Uint8Array) await handle.writeFile(content);
      else for await (const chunk of content) await handle.write(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite) {
      await rename(temp, path);
    } else {
      try {
        await link(temp, path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new OutputExistsError(target);
        // File systems without hard links: check, then rename (a narrow window, but no partial file).
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
        if (existsSync(path)) throw new OutputExistsError(target);
        await rename(temp, path);
      }
    }
    await syncFolder(dirname(path));
  } finally {
    await unlink(temp).catch(() => undefined);
    inFlight.delete(temp);
    if (inFlight.size === 0) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/** Makes the new name durable too (the folder entry), where the platform allows it. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported everywhere (Windows); the file itself is already flushed.
  }
}
