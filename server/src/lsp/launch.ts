/**
 * Node flags the language server is started with (by the VS Code client, the tests and the
 * benchmarks alike; other editors: `node --max-semi-space-size=4 --v8-pool-size=1 dist/server.cjs --stdio`).
 *
 * A language server lives all day with many documents open, and V8's default young generation
 * (two 16 MB semi-spaces on 64-bit) stays resident once a check has filled it: 32 MB of a server
 * whose live data is ~60 MB with a 10,000-line plan open. Two 4 MB semi-spaces cost a few ms per
 * edit of such a plan (more short-lived objects reach the old generation) and save ~24 MB. V8
 * sizes the young generation when the process starts, so this must be a command-line flag; the
 * server's other heap settings can be made at run time (server-main.ts).
 *
 * V8's background threads (four by default) allocate alongside the main thread (marking
 * worklists, compile jobs); glibc gives threads that allocate at once arenas of their own and
 * keeps what those once held: ~12 MB of a server with fifty 10k-line plans open (starting it with
 * MALLOC_ARENA_MAX=2 saves about the same). One background thread still keeps concurrent marking
 * and compiling off the main thread: RSS with those fifty plans 154 → 143 MB, edit latency and
 * start-up unchanged (10k and 50k lines, 2026-12-07).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--v8-pool-size=1'];
