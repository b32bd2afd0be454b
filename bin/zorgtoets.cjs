#!/usr/bin/env node
'use strict';
// Launcher for the bundled CLI. The bundle is built by `npm ci` (prepare) or `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const bundle = join(__dirname, '..', 'dist', 'cli.cjs');
if (!existsSync(bundle)) {
  process.stderr.write('zorgtoets: dist/cli.cjs ontbreekt; voer eerst `npm run build` uit.\n');
  process.exit(2);
}
require(bundle);
