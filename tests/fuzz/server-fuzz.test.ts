import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { LspClient, SERVER } from '../helpers/lsp-client.js';
import { sampleCorpus } from './corpus.js';
import { emptyStats, keepFailureText, runSession, sessionArbitrary } from './server-session.js';

/**
 * Short fuzz run through the bundled server over stdio, in `npm test` (the long run, a million
 * edits, is `npm run fuzz`). See server-session.ts for what is sent and what must hold.
 */

const RUNS = Number(process.env['ZT_SERVER_FUZZ_RUNS'] ?? 25);
const corpus = sampleCorpus();
let client: LspClient;

before(async () => {
  assert.ok(existsSync(SERVER), `${SERVER} is missing; npm test builds it`);
  client = new LspClient();
  await client.initialize({ debounceMs: 0 });
});

after(async () => {
  const code = await client.shutdown();
  assert.equal(code, 0, `the server exits cleanly after all sessions\n${client.log}`);
  assert.doesNotMatch(client.log, /onverwachte fout|interne fout/, 'nothing unexpected in the server log');
});

test(`server fuzz: ${RUNS} editing sessions over stdio; ranges inside each version, every request answered`, async () => {
  const stats = emptyStats();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(sessionArbitrary(corpus.length, 40), async (session) => {
      try {
        await runSession(client, corpus, session, `file:///fuzz/kort-${++n}.yaml`, stats, { requestTimeoutMs: 30000 });
      } catch (error) {
        keepFailureText(error);
        throw error;
      }
    }),
    { numRuns: RUNS, seed: Number(process.env['ZT_FUZZ_SEED'] ?? 20261123), endOnFailure: true },
  );
  console.log(`server fuzz: ${stats.sessions} sessions, ${stats.edits} edits, ${stats.requests} requests, ${stats.fixesApplied} quick fixes applied, ${stats.publishes} publishes with ${stats.diagnostics} diagnostics`);
  assert.ok(stats.edits > RUNS, 'edits were sent');
});
