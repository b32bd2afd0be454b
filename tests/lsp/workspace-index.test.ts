import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Engine } from '../../server/src/engine/index.js';
import { partyOfCheck, WorkspaceIndex } from '../../server/src/lsp/workspace-index.js';
import { ROOT, sample, TODAY } from '../helpers/engine.js';
import { NodeDataFiles } from '../../server/src/node/node-data-files.js';
import { otherRhoPlan } from '../helpers/other-rho.js';

/** The language server's index of cross entries, driven directly: what it makes again, and when. */

const VALID = sample('vgz/rho-regioplan');

/** An engine that counts how often a text's cross entries are made from it (the index's reproductions). */
function countingEngine(): { engine: Engine; madeFrom: string[] } {
  const engine = new Engine({ files: new NodeDataFiles(`${ROOT}/schemas`) });
  const madeFrom: string[] = [];
  const original = engine.crossEntriesOf.bind(engine);
  engine.crossEntriesOf = (text, options) => {
    madeFrom.push(text);
    return original(text, options);
  };
  return { engine, madeFrom };
}

describe('workspace index', () => {
  test('a saved plan in conflict with the edited one is made again once, not on every edit; let go when no longer asked', () => {
    const { engine, madeFrom } = countingEngine();
    const index = new WorkspaceIndex();
    const saved = otherRhoPlan();
    const options = { today: TODAY };
    index.update({ uri: 'file:///ws/waalmond.yaml', name: 'waalmond.yaml', ...engine.crossEntriesOf(saved, options), text: saved, engine, lang: 'nl', open: false, options });
    madeFrom.length = 0;
    const edit = (text: string) => {
      index.update(partyOfCheck('file:///ws/lingestroom.yaml', 'lingestroom.yaml', engine.check(text, options), text, engine, 'nl', options));
      index.settle();
      return index.findingsFor('file:///ws/lingestroom.yaml');
    };
    const first = edit(VALID);
    assert.ok(first.some((f) => f.id === 'VGZ-RHO-05'), 'the shared practice is reported');
    let savedMade = madeFrom.filter((text) => text === saved).length;
    assert.equal(savedMade, 1, 'the saved plan is made again for the related places of the first findings');
    // Edits that keep every key: the open plan's claims come from its new text, the saved plan's from what was kept.
    for (let i = 1; i <= 3; i++) {
      const text = VALID.replace('praktijken:\n', `praktijken:\n${'  # notitie\n'.repeat(i)}`);
      const found = edit(text);
      assert.equal(found.length, first.length, `edit ${i}: the same findings`);
      const line = text.split('\n').findIndex((l) => l.includes('Huisartsenpraktijk Waalkade'));
      assert.ok(found.every((f) => f.id !== 'VGZ-RHO-05' || f.range.start.line > line), `edit ${i}: places follow the new text`);
    }
    savedMade = madeFrom.filter((text) => text === saved).length;
    assert.equal(savedMade, 1, 'not made again while the findings keep asking');
    // The conflict goes away (the open plan drops the shared practice): the saved plan is no longer asked, and let go.
    const start = VALID.indexOf('  - naam: Huisartsenpraktijk Waalkade');
    const end = VALID.indexOf('  - naam: Gezondheidscentrum Bommerwaard');
    const without = VALID.slice(0, start) + VALID.slice(end);
    assert.ok(!edit(without).some((f) => f.id === 'VGZ-RHO-05'));
    edit(without.replace('praktijken:\n', 'praktijken:\n  # notitie\n'));
    edit(VALID);
    assert.equal(madeFrom.filter((text) => text === saved).length, 2, 'made again after it was let go');
  });
});
