// Runs inside VS Code (extension host) via @vscode/test-electron: the extension as a user meets it.
// Plain CommonJS with node:assert, so no build step is needed for the test itself.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const samples = path.join(__dirname, '..', '..', '..', 'samples', 'vgz', 'rho-regioplan');

function diagnosticsFor(uri, test, timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'zorgtoets');
      if (test(found)) {
        subscription.dispose();
        clearTimeout(timer);
        resolve(found);
      }
    };
    const subscription = vscode.languages.onDidChangeDiagnostics(check);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no matching zorgtoets diagnostics for ${uri.toString()}`));
    }, timeoutMs);
    check();
  });
}

async function run() {
  const failures = [];
  const step = async (name, body) => {
    try {
      await body();
      console.log(`  ✔ ${name}`);
    } catch (error) {
      console.log(`  ✖ ${name}: ${error && error.stack ? error.stack : error}`);
      failures.push(name);
    }
  };

  await step('an invalid sample gets diagnostics with requirement IDs', async () => {
    const uri = vscode.Uri.file(path.join(samples, 'invalid-mandaat-en-patienten.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await diagnosticsFor(uri, (d) => d.some((x) => String(x.code) === 'VGZ-RHO-04c'));
    assert.ok(found.some((d) => d.range.start.line === 54));
  });

  await step('the commands are registered under zorgtoets', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['zorgtoets.newSubmission', 'zorgtoets.showRequirements', 'zorgtoets.restartServer', 'zorgtoets.export']) assert.ok(commands.includes(id), id);
  });

  await step('a quick fix from the light bulb fixes "ja"', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: (await vscode.workspace.fs.readFile(vscode.Uri.file(path.join(samples, 'valid.yaml')))).toString().replace(/ubo_geregistreerd_bij_vektis: true/, 'ubo_geregistreerd_bij_vektis: ja') });
    await vscode.window.showTextDocument(doc);
    const [diagnostic] = await diagnosticsFor(doc.uri, (d) => d.length > 0);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diagnostic.range);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix && fix.edit, 'a preferred fix');
    await vscode.workspace.applyEdit(fix.edit);
    await diagnosticsFor(doc.uri, (d) => d.length === 0);
  });

  if (failures.length > 0) throw new Error(`${failures.length} failed: ${failures.join(', ')}`);
}

module.exports = { run };
