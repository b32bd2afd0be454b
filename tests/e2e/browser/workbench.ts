import type { Locator, Page } from 'playwright-core';

/**
 * The VS Code workbench in the page, driven the way a person does: keyboard shortcuts, the command
 * palette, quick picks, the Problems panel. Every step waits for what the user would see next,
 * never for a fixed time. The selectors are VS Code 1.99's (code-server 4.99.4).
 */

export const TIMEOUT = {
  /** The workbench, the extension host and the language server starting on a loaded 2-core machine. */
  start: 120_000,
  /** Something the language server computes (diagnostics after an open or an edit, hover, completion). */
  server: 60_000,
  /** A UI reaction to a key press or a click. */
  ui: 20_000,
};

/** One row of the Problems panel. */
export interface ProblemRow {
  file: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  source: string;
  code: string;
  line: number;
  column: number;
}

/** What the page's elements have that these helpers read (the project's typecheck has no DOM library). */
interface Rendered {
  innerText: string;
  style: { top: string };
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = '.quick-input-widget .quick-input-box input';

export class Workbench {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url, { timeout: TIMEOUT.start });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: TIMEOUT.start });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: TIMEOUT.start });
  }

  // --- quick input (quick open, command palette, quick picks, the simple file dialog) ---

  private get quickInput(): Locator {
    return this.page.locator(QUICK_INPUT);
  }

  async waitForQuickInput(): Promise<Locator> {
    const box = this.page.locator(QUICK_INPUT_BOX);
    await box.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    return box;
  }

  async quickInputVisible(): Promise<boolean> {
    return this.page.locator(QUICK_INPUT_BOX).isVisible();
  }

  /** The rows of the open quick pick: their labels (the aria-label VS Code gives each row). */
  async quickPickRows(): Promise<string[]> {
    return this.quickInput.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
  }

  /** Waits for a row of the open quick pick whose label matches, and chooses it. */
  async pick(label: string | RegExp): Promise<void> {
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name, .monaco-highlighted-label', { hasText: label }) }).first();
    await row.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    await row.click();
  }

  /** Waits until the quick input's text satisfies `test` (and stays so for a moment: the dialogs fill it in late). */
  async waitForQuickInputValue(test: (value: string) => boolean): Promise<void> {
    const box = this.page.locator(QUICK_INPUT_BOX);
    const deadline = Date.now() + TIMEOUT.ui;
    let stable = 0;
    let value = '';
    while (Date.now() < deadline) {
      value = await box.inputValue();
      stable = test(value) ? stable + 1 : 0;
      if (stable >= 3) return;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`the quick input holds "${value}"`);
  }

  async waitForQuickInputClosed(): Promise<void> {
    await this.page.locator(QUICK_INPUT_BOX).waitFor({ state: 'hidden', timeout: TIMEOUT.ui });
  }

  /** Quick open (Ctrl+P): opens a workspace file by name and waits until its editor is active. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const box = await this.waitForQuickInput();
    await box.fill(name);
    // Click the file's own row: Enter would take the focused row, which may still be a recently
    // opened file while the search catches up.
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) }).first();
    await row.waitFor({ state: 'visible', timeout: TIMEOUT.server });
    await row.click();
    await this.activeTab(name).waitFor({ timeout: TIMEOUT.ui });
    await this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: TIMEOUT.ui });
  }

  activeTab(name?: string): Locator {
    return this.page.locator(name ? `.tabs-container .tab.active[data-resource-name="${name}"]` : '.tabs-container .tab.active');
  }

  /** Runs a command from the palette (F1) by its title as the palette shows it. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const box = await this.waitForQuickInput();
    await box.fill(`>${title}`);
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
    await row.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    await row.click();
  }

  // --- the editor ---

  /** Go to line/column (1-based, as the status bar counts) and wait until the cursor is there. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const box = await this.waitForQuickInput();
    await box.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.waitForQuickInputClosed();
    await this.page.locator('[id="status.editor.selection"]', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ timeout: TIMEOUT.ui });
  }

  /** The hover at the cursor (Ctrl+K Ctrl+I), once it shows `expected`. */
  async hoverAtCursor(expected: string): Promise<string> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
    const hover = this.page.locator('.monaco-hover:not(.hidden)', { hasText: expected }).first();
    await hover.waitFor({ state: 'visible', timeout: TIMEOUT.server });
    return hover.innerText();
  }

  /**
   * The quick fixes offered at the cursor (Ctrl+.); chooses the one titled `title` with the arrow
   * keys and Enter (the widget's overlay takes the mouse's clicks).
   */
  async applyQuickFix(title: string): Promise<string[]> {
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator('.action-widget');
    const rows = widget.locator('.monaco-list-row.action');
    await rows.filter({ hasText: exactly(title) }).first().waitFor({ state: 'visible', timeout: TIMEOUT.server });
    const offered = await rows.evaluateAll((elements) => elements.map((r) => r.getAttribute('aria-label') ?? ''));
    for (let i = 0; i <= offered.length; i++) {
      const focused = await widget.locator('.monaco-list-row.action.focused').getAttribute('aria-label');
      if (focused === title) break;
      await this.page.keyboard.press('ArrowDown');
    }
    await widget.locator('.monaco-list-row.action.focused', { hasText: exactly(title) }).waitFor({ timeout: TIMEOUT.ui });
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: TIMEOUT.ui });
    return offered;
  }

  /**
   * Completion at the cursor (Ctrl+Space): the labels of the suggestions, once `expected` is among
   * them. The widget stays open (for the screenshot); Escape or reset() closes it.
   */
  async suggestions(expected: string): Promise<string[]> {
    await this.page.keyboard.press('Control+Space');
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    await widget.locator('.monaco-list-row .label-name', { hasText: exactly(expected) }).first().waitFor({ timeout: TIMEOUT.server });
    const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    return labels.map((label) => label.trim());
  }

  /**
   * Ctrl+S on an edited editor, and wait until it is no longer dirty. It first waits for the
   * editor to be dirty: an edit the workbench applies asynchronously (a code action's workspace
   * edit) may land after the key that triggered it, and saving before it would save nothing.
   */
  async save(): Promise<void> {
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ timeout: TIMEOUT.server });
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active:not(.dirty)').waitFor({ timeout: TIMEOUT.ui });
  }

  /** The visible text of the active editor (what is on screen, line by line). */
  async visibleText(): Promise<string> {
    const lines = await this.page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line').evaluateAll((elements) =>
      elements
        .map((element) => ({ top: Number.parseFloat((element as unknown as Rendered).style.top || '0'), text: (element.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text),
    );
    return lines.join('\n');
  }

  /**
   * Sets a user setting in the Settings editor, as a person does (code-server does not notice the
   * settings file changing under it), then closes the editor.
   */
  async setUserSetting(key: string, value: string): Promise<void> {
    await this.runCommand('Preferences: Open User Settings');
    const editor = this.page.locator('.settings-editor');
    await editor.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    await editor.locator('.settings-header .search-container').click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(key);
    const control = editor.locator(`select[aria-label="${key}"]`);
    await control.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    await control.selectOption(value);
    await editor.locator(`.setting-item-contents[data-key="${key}"] .setting-item-modified-indicator`).waitFor({ state: 'attached', timeout: TIMEOUT.ui });
    await this.runCommand('View: Close Editor');
    await editor.waitFor({ state: 'hidden', timeout: TIMEOUT.ui });
  }

  /**
   * Gives the workbench the focus back (a page another window took it from closes its quick
   * inputs as soon as they open), closes whatever widget or dialog is open (Escape), then every
   * editor.
   */
  async reset(): Promise<void> {
    await this.page.bringToFront();
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    await this.waitForQuickInputClosed();
    const dontSave = this.page.locator('.monaco-dialog-box .monaco-button', { hasText: /Don't Save/ });
    if (await dontSave.isVisible()) await dontSave.click();
    await this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: TIMEOUT.ui });
  }

  // --- status bar and Problems panel ---

  /** The zorgtoets status bar item (the compliance summary of the active file). */
  get summaryItem(): Locator {
    return this.page.locator('.statusbar-item[id$="zorgtoets.summary"]');
  }

  /** Opens the Problems panel (Ctrl+Shift+M) if it is not showing. */
  async showProblems(): Promise<void> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor({ state: 'visible', timeout: TIMEOUT.ui });
    }
  }

  /**
   * The rows of the Problems panel with the file each belongs to, and the count each file's header
   * states. The panel is a virtual list: rows scrolled out of view are not in the page, which the
   * count shows.
   */
  async problems(): Promise<{ rows: ProblemRow[]; counts: Map<string, number> }> {
    await this.showProblems();
    const raw = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
      rows.map((row) => ({
        label: row.getAttribute('aria-label') ?? '',
        text: (row as unknown as Rendered).innerText,
        top: Number.parseFloat((row as unknown as Rendered).style.top || '0'),
        error: row.querySelector('.codicon-error') !== null,
        warning: row.querySelector('.codicon-warning') !== null,
      })),
    );
    raw.sort((a, b) => a.top - b.top);
    const rows: ProblemRow[] = [];
    const counts = new Map<string, number>();
    let file = '';
    for (const row of raw) {
      const fileMatch = /^(\d+) problems? in file (.+?) of folder/.exec(row.label);
      if (fileMatch) {
        file = fileMatch[2] ?? '';
        counts.set(file, Number(fileMatch[1]));
        continue;
      }
      // innerText: message, source, code, "[Ln 29, Col 30]" on their own lines.
      const parts = row.text
        .split('\n')
        .map((part: string) => part.trim())
        .filter(Boolean);
      const position = /\[Ln (\d+), Col (\d+)\]/.exec(parts.at(-1) ?? '');
      if (!position) continue;
      rows.push({
        file,
        severity: row.error ? 'error' : row.warning ? 'warning' : 'info',
        message: parts[0] ?? '',
        source: parts[1] ?? '',
        code: parts.length >= 4 ? (parts[2] ?? '') : '',
        line: Number(position[1]),
        column: Number(position[2]),
      });
    }
    return { rows, counts };
  }

  /**
   * Polls the Problems panel until `done` holds for the rows of `file` (the language server
   * publishes after a debounce; the panel renders after that). Returns the rows that satisfied it,
   * or throws with the last rows seen. Every row of the file must be rendered (see problems()).
   */
  async waitForProblems(file: string, done: (rows: ProblemRow[]) => boolean, what: string): Promise<ProblemRow[]> {
    const deadline = Date.now() + TIMEOUT.server;
    let last: ProblemRow[] = [];
    while (Date.now() < deadline) {
      const { rows, counts } = await this.problems();
      last = rows.filter((row) => row.file === file);
      const stated = counts.get(file) ?? 0;
      if (stated > last.length) throw new Error(`Problems panel: ${file} has ${stated} problems but only ${last.length} rows are rendered; make the panel taller`);
      if (done(last)) return last;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`Problems panel, ${file}: ${what} not seen within ${TIMEOUT.server / 1000} s; last rows:\n${last.map((r) => `  ${r.code} ${r.line}:${r.column} ${r.message}`).join('\n') || '  (none)'}`);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, timeout: TIMEOUT.ui });
  }
}

/** A regular expression matching `text` as the whole label. */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}
