import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Gives memory back when the server is idle. A language server's work comes in bursts (opening
 * fifty files, a check per keystroke) that leave the heap grown far beyond what it still holds;
 * V8 shrinks it only after a long while. A full collection when the event loop has been quiet
 * for a quarter of a second, and only when the heap grew markedly since the last one, brings the resident
 * size back to what is live without slowing the work itself (unlike V8's size-optimising mode,
 * which makes every check several times slower on large documents).
 */

export interface IdleCollector {
  stop(): void;
}

/** Quiet: less than this share of the last interval spent working. */
const QUIET = 0.05;
/** Worth collecting: the heap grew by this factor and this many bytes since the last collection. */
const GROWTH = 1.3;
const MIN_GROWTH_BYTES = 16 * 1024 * 1024;

export function startIdleCollector(intervalMs = 250): IdleCollector | undefined {
  let collect: (() => void) | undefined;
  try {
    setFlagsFromString('--expose-gc');
    // The flag exposes `gc` to contexts created from now on.
    collect = runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
  if (typeof collect !== 'function') return undefined;
  const gc = collect;
  let baseline = process.memoryUsage().heapTotal;
  let previous = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, previous).utilization;
    previous = now;
    const heap = process.memoryUsage().heapTotal;
    if (busy > QUIET || heap < baseline * GROWTH || heap - baseline < MIN_GROWTH_BYTES) return;
    // Compacted, so the pages the burst filled are given back, not kept half empty.
    setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-compact-on-every-full-gc');
    }
    baseline = process.memoryUsage().heapTotal;
    previous = performance.eventLoopUtilization();
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
