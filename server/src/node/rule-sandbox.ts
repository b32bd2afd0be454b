import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { ExtraRuleEvaluator, ExtraRuleOutcome, ExtraRuleRequest, RuleFinding, RuleProblem } from '../engine/index.js';
import { productRoot } from './node-data-files.js';
import { formatDecimal } from '../engine/notation.js';

/**
 * An organisation's rules, evaluated in a worker thread with a time and a memory limit, so a rule
 * that is too expensive (a nested comprehension over a long list) never hangs the editor or the
 * CLI. The engine's check stays synchronous: the request goes to the worker and this thread waits
 * for the answer with Atomics.wait, up to the time limit. On timeout (or when the worker runs out
 * of memory, which ends it) the worker is terminated, the rules file is reported as not run
 * ("te duur"), and it stays off for this engine — the next keystroke does not wait again; the
 * language server makes a new engine when the extra folders or the configuration change.
 */

export interface RuleSandboxOptions {
  /** The product's data folder and its data cache, as the engine's own `DataFiles` has them. */
  schemasRoot: string;
  cacheFile?: string;
  /** The organisation's extra folders, in the engine's order (their `@extra<n>/` prefixes). */
  extraFolders: readonly string[];
  /** Longest one rules file may take per check (ms). */
  timeoutMs?: number;
  /** Heap of the worker (MB): a rule building huge lists fails there, not in the editor. */
  memoryMb?: number;
}

export const DEFAULT_RULE_TIMEOUT_MS = 2000;
/** Starting the worker and loading the rule set do not count against the rules' time. */
const STARTUP_MS = 15000;

interface Reply {
  id: number;
  findings?: RuleFinding[];
  problems?: RuleProblem[];
  error?: string;
}

/** The bundled worker script (dist/rule-worker.cjs): the same in the CLI, the server and tests. */
export function ruleWorkerScript(): string {
  return join(productRoot(), 'dist', 'rule-worker.cjs');
}

export class WorkerRuleSandbox implements ExtraRuleEvaluator {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private state: Int32Array | undefined;
  private nextId = 1;
  /** Files whose rules did not finish: why, said once and kept. */
  private readonly disabled = new Map<string, string>();
  private readonly timeoutMs: number;

  constructor(private readonly options: RuleSandboxOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_RULE_TIMEOUT_MS;
  }

  evaluate(request: ExtraRuleRequest): ExtraRuleOutcome {
    const off = this.disabled.get(request.file);
    if (off) return { ok: false, reason: off };
    let worker: { port: MessagePort; state: Int32Array };
    try {
      worker = this.ensureWorker();
    } catch (error) {
      return { ok: false, reason: `de regels konden niet apart worden uitgevoerd (${error instanceof Error ? error.message : String(error)})` };
    }
    const id = this.nextId++;
    Atomics.store(worker.state, 0, 0);
    worker.port.postMessage({ id, paths: request.paths, file: request.file, data: request.data, context: request.context });
    // Two phases: the worker starting and loading the rule set (not the rules' fault, a generous
    // bound), then the evaluation itself (the rules' time limit). The worker says -id when loaded.
    const loaded = this.waitWhile(worker.state, 0, STARTUP_MS);
    const done = loaded === -id ? this.waitWhile(worker.state, -id, this.timeoutMs) : loaded;
    const reply = done === id ? this.receive(id) : undefined;
    if (reply) return this.outcome(request.file, reply);
    this.stop();
    const reason =
      loaded === -id || loaded === id
        ? `de regels waren niet binnen ${formatSeconds(this.timeoutMs)} klaar (te duur in tijd of geheugen) en zijn afgebroken; ze blijven uit tot de map of de instellingen veranderen`
        : `de regels konden niet worden geladen binnen ${formatSeconds(STARTUP_MS)}`;
    this.disabled.set(request.file, reason);
    return { ok: false, reason };
  }

  /** Waits (blocking this thread) while the shared state holds `value`, at most `ms`; the state after. */
  private waitWhile(state: Int32Array, value: number, ms: number): number {
    const deadline = performance.now() + ms;
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(state, 0, value, left) === 'timed-out') return Atomics.load(state, 0);
      const now = Atomics.load(state, 0);
      if (now !== value) return now;
    }
  }

  dispose(): void {
    this.stop();
  }

  /** Ends the worker (idle workers are unref'd and do not keep a process alive). */
  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    this.state = undefined;
    void worker?.terminate();
  }

  private outcome(file: string, reply: Reply): ExtraRuleOutcome {
    if (reply.error !== undefined) {
      // Loading or running the file failed as a whole (not one rule): reported, and kept off.
      const reason = `de regels konden niet worden uitgevoerd (${reply.error})`;
      this.disabled.set(file, reason);
      return { ok: false, reason };
    }
    return { ok: true, findings: reply.findings ?? [], problems: reply.problems ?? [] };
  }

  /** The reply to request `id`, dropping late replies to requests given up on. */
  private receive(id: number): Reply | undefined {
    if (!this.port) return undefined;
    for (let received = receiveMessageOnPort(this.port); received; received = receiveMessageOnPort(this.port)) {
      const reply = received.message as Reply;
      if (reply.id === id) return reply;
    }
    return undefined;
  }

  private ensureWorker(): { port: MessagePort; state: Int32Array } {
    if (this.worker && this.port && this.state) return { port: this.port, state: this.state };
    const script = ruleWorkerScript();
    if (!existsSync(script)) throw new Error(`${script} ontbreekt (npm run build)`);
    const channel = new MessageChannel();
    const state = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(script, {
      workerData: { port: channel.port2, state, schemasRoot: this.options.schemasRoot, cacheFile: this.options.cacheFile, extraFolders: [...this.options.extraFolders] },
      transferList: [channel.port2],
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb ?? 256 },
      stdout: true,
      stderr: true,
    });
    // A worker that runs out of memory or crashes ends; the wait then times out and says so.
    worker.on('error', () => undefined);
    worker.unref();
    channel.port1.unref();
    this.worker = worker;
    this.port = channel.port1;
    this.state = state;
    return { port: channel.port1, state };
  }
}

function formatSeconds(ms: number): string {
  return `${formatDecimal(ms / 1000, 'nl', { maxDecimals: 1 })} s`;
}
