import fc from 'fast-check';
import { LspClient } from '../helpers/lsp-client.js';
import { rssMegabytes } from '../helpers/process-memory.js';
import { sampleCorpus } from './corpus.js';
import { emptyStats, keepFailureText, runSession, sessionArbitrary } from './server-session.js';

/**
 * The long fuzz run for the record (`npm run fuzz`): editing sessions through the bundled server
 * over stdio until a million edits were sent (ZT_FUZZ_EDITS), or the time is up (ZT_FUZZ_MINUTES),
 * whichever comes first. Prints progress and the real count; exits 1 on the first failure, with
 * the counterexample, the seed and the texts of the session for replay.
 *
 *   npm run fuzz
 *   ZT_FUZZ_EDITS=100000 ZT_FUZZ_SEED=7 npm run fuzz
 */

const TARGET = Number(process.env['ZT_FUZZ_EDITS'] ?? 1_000_000);
const MINUTES = Number(process.env['ZT_FUZZ_MINUTES'] ?? Infinity);
const SEED = Number(process.env['ZT_FUZZ_SEED'] ?? Date.now() % 1_000_000);
const BATCH = 100;

async function main(): Promise<void> {
  const corpus = sampleCorpus();
  const client = new LspClient();
  // A short debounce as while typing; every ask still forces a check of the newest version.
  await client.initialize({ debounceMs: 20 });
  const stats = emptyStats();
  const started = performance.now();
  const deadline = started + MINUTES * 60_000;
  let batch = 0;
  let n = 0;
  console.log(`zorgtoets server fuzz: target ${TARGET.toLocaleString('en')} edits, seed ${SEED}, ${corpus.length} samples`);
  while (stats.edits < TARGET && performance.now() < deadline) {
    const seed = SEED + batch++;
    const details = await fc.check(
      fc.asyncProperty(sessionArbitrary(corpus.length, 300, 1), async (session) => {
        try {
          await runSession(client, corpus, session, `file:///fuzz/lang-${++n}.yaml`, stats, { requestTimeoutMs: 60000 });
        } catch (error) {
          keepFailureText(error);
          throw error;
        }
      }),
      { numRuns: BATCH, seed, endOnFailure: true },
    );
    if (details.failed) {
      console.error(`FAILED in batch seed ${seed} after ${stats.edits.toLocaleString('en')} edits`);
      console.error(`counterexample: ${fc.stringify(details.counterexample)}`);
      console.error(details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance));
      console.error(client.log.slice(-4000));
      client.child.kill('SIGKILL');
      process.exit(1);
    }
    const seconds = (performance.now() - started) / 1000;
    const rss = rssMegabytes(client.child.pid);
    console.log(
      `${stats.edits.toLocaleString('en')} edits, ${stats.sessions} sessions, ${stats.requests} requests, ${stats.fixesApplied} fixes applied, ${stats.diagnostics} diagnostics checked — ${seconds.toFixed(0)} s, ${(stats.edits / seconds).toFixed(0)} edits/s${rss ? `, server RSS ${rss.toFixed(0)} MB` : ''}`,
    );
  }
  const code = await client.shutdown();
  const unexpected = /onverwachte fout|interne fout/.test(client.log);
  console.log(
    `done: ${stats.edits.toLocaleString('en')} edits in ${stats.sessions} sessions (${stats.requests} requests, ${stats.fixesApplied} quick fixes applied, ${stats.publishes} publishes, ${stats.diagnostics} diagnostics checked), seeds ${SEED}…${SEED + batch - 1}; server exit ${String(code)}${unexpected ? '; UNEXPECTED ERRORS IN THE LOG' : ''}`,
  );
  if (code !== 0 || unexpected) {
    console.error(client.log.slice(-4000));
    process.exit(1);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
