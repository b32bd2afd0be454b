/**
 * Node flags the language server is started with (by the VS Code client, the tests and the
 * benchmarks alike; other editors: `node --max-semi-space-size=4 dist/server.cjs --stdio`).
 *
 * A language server lives all day with many documents open, and V8's default young generation
 * (two 16 MB semi-spaces on 64-bit) stays resident once a check has filled it: 32 MB of a server
 * whose live data is ~60 MB with a 10,000-line plan open. Two 4 MB semi-spaces cost a few ms per
 * edit of such a plan (more short-lived objects reach the old generation) and save ~24 MB. V8
 * sizes the young generation when the process starts, so this must be a command-line flag; the
 * server's other heap settings can be made at run time (server-main.ts).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
