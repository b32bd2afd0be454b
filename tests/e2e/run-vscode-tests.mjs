// Runs tests/e2e/suite in a real VS Code with the extension loaded from this repository
// (npm run test:vscode). @vscode/test-electron downloads VS Code first, so this needs a machine
// that can reach the VS Code download servers; it is not part of `npm test` or .ci/run, which
// run offline. Build first (npm run build) so dist/ holds the bundles.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = join(import.meta.dirname, '..', '..');
if (!existsSync(join(root, 'dist', 'extension.cjs'))) {
  console.error('test:vscode: dist/extension.cjs is missing; run npm run build first');
  process.exit(2);
}
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.99.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'tests', 'e2e', 'suite', 'index.cjs'),
    launchArgs: [join(root, 'samples', 'vgz', 'rho-regioplan'), '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  console.error(`test:vscode: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
