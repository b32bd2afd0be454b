import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * The process groups an end-to-end run starts (code-server with its extension hosts and language
 * servers; Chromium). Each is started as the leader of its own group and written to a file the
 * moment it starts, so the runner can end what a crashed or killed test process left behind.
 * Only groups named in that file are ever signalled.
 */
export class ProcessGroups {
  constructor(private readonly file: string) {}

  add(pid: number, label: string): void {
    appendFileSync(this.file, `${pid} ${label}\n`);
  }

  /**
   * Notes that a group has ended, so nothing signals its number again (the number could be given
   * to someone else's process later).
   */
  ended(pid: number): void {
    appendFileSync(this.file, `ended ${pid}\n`);
  }

  /** The groups started and not yet noted as ended, newest last. */
  list(): { pid: number; label: string }[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    const ended = new Set(lines.map((line) => /^ended (\d+)$/.exec(line)?.[1]).filter((pid) => pid !== undefined).map(Number));
    return lines
      .map((line) => /^(\d+) (.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ pid: Number(match[1]), label: match[2] ?? '' }))
      .filter(({ pid }) => !ended.has(pid));
  }

  /** Ends one group: SIGTERM, then SIGKILL after the grace time. */
  async end(pid: number, graceMs = 5000): Promise<void> {
    await endGroup(pid, graceMs);
    this.ended(pid);
  }

  /** Ends every group still alive. Returns what had to be ended. */
  async endAll(graceMs = 5000): Promise<string[]> {
    const ended: string[] = [];
    for (const { pid, label } of this.list().reverse()) {
      if (groupAlive(pid)) {
        await endGroup(pid, graceMs);
        ended.push(`${label} (${pid})`);
      }
      this.ended(pid);
    }
    return ended;
  }

  /** For exit handlers, where nothing asynchronous runs any more: SIGKILL to every group not ended. */
  killAllNow(): void {
    for (const { pid } of this.list()) {
      killGroupNow(pid);
      this.ended(pid);
    }
  }
}

/** Whether any process of the group led by `pid` is still there. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the whole group, then SIGKILL to whatever is left after `graceMs`. */
export async function endGroup(pid: number, graceMs = 5000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
}

/** For exit handlers, where nothing asynchronous runs any more. */
export function killGroupNow(pid: number): void {
  signalGroup(pid, 'SIGKILL');
}
