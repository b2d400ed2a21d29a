import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { attendee, startTabStack, type TabStack } from './support/start-tab-stack';

/** axe-core's own bundle from node_modules, put into the tab's frame as a script: nothing leaves the machine. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ALICE = attendee('Alice Admin', 1, 'alice');

interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Polls until `check` stops throwing, within `timeoutMs`. */
async function eventually(check: () => Promise<unknown>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The focused element's role and text, in the tab's frame. */
const focused = (tab: Frame) =>
  tab.evaluate<{ role: string | null; text: string; tag: string }>(
    `(() => { const el = document.activeElement; return { role: el.getAttribute('role'), text: el.textContent.trim(), tag: el.tagName }; })()`,
  );
const boxOf = (tab: Frame, selector: string) =>
  tab.evaluate<Box>(
    `(() => { const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; })()`,
  );

/**
 * The row editor's popup (tab/src/backlog/issue-editor.tsx), which is the tab's own and not Fluent's: its
 * keys, its focus, where it goes in the 320 px side panel, and how it closes.
 */
describe('the issue editor popup in Chromium', function () {
  this.timeout(60_000);
  let stack: TabStack;
  let page: Page;
  let tab: Frame;

  before(async () => {
    stack = await startTabStack();
    await stack.connect(ALICE);
    const id = await stack.createBacklog(ALICE, 'Popup', 'project = PHX ORDER BY Rank ASC');
    ({ page, tab } = await stack.open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel' }));
    await tab.locator('.backlog[data-load="done"] li.row').nth(3).waitFor();
  });
  after(async () => {
    await stack?.close();
  });

  it('walks its menu with the arrows, Home and End, chooses with Space, and keeps Tab inside', async () => {
    const row = tab.locator('li.row').first();
    const key = await row.getAttribute('data-key');
    const button = row.locator('.c-priority');
    await button.focus();
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal((await focused(tab)).role, 'menuitemradio'));
    const names = (await tab.getByRole('menuitemradio').allTextContents()).map((name) => name.trim());
    assert.ok(names.length >= 3, `priorities: ${names.join(', ')}`);
    assert.equal(await tab.locator('[role="menuitemradio"][aria-checked="true"]').evaluate((el) => el === el.ownerDocument.activeElement), true, 'the current value has the focus');

    await page.keyboard.press('End');
    assert.equal((await focused(tab)).text, names.at(-1));
    await page.keyboard.press('Home');
    assert.equal((await focused(tab)).text, names[0]);
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(tab)).text, names.at(-1), 'Up from the first wraps to the last');
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(tab)).text, names[0], 'Down from the last wraps to the first');
    // A letter goes to the next item whose name starts with it (the names have a priority glyph first).
    const low = names.filter((name) => /^\W*l/i.test(name));
    assert.ok(low.length >= 2, `two priorities start with L: ${names.join(', ')}`);
    await page.keyboard.press('l');
    assert.equal((await focused(tab)).text, low[0]);
    await page.keyboard.press('L');
    assert.equal((await focused(tab)).text, low[1]);
    await page.keyboard.press('Home');
    const ring = await tab.evaluate<string>(
      `(() => { const s = getComputedStyle(document.activeElement); return document.activeElement.matches(':focus-visible') + ' ' + s.outlineStyle + ' ' + s.outlineWidth; })()`,
    );
    assert.equal(ring, 'true solid 2px', 'the item the keys moved to shows a ring');

    // axe on the open popup: the dialog, the menu and its radio items are named and in role.
    await tab.addScriptTag({ content: AXE_SOURCE });
    const violations = await tab.evaluate<string[]>(`(async () => {
      const result = await window.axe.run({ include: [['.editor']] }, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
    })()`);
    assert.deepEqual(violations, []);

    // Space chooses an item that is not the current one: Jira has it, and the focus is back on the cell.
    await page.keyboard.press('ArrowDown');
    if ((await focused(tab)).text === (await tab.locator('[role="menuitemradio"][aria-checked="true"]').textContent())?.trim()) await page.keyboard.press('ArrowDown');
    // Its name without the priority's glyph (aria-hidden).
    const chosen = await tab.evaluate<string>(`document.activeElement.querySelector('.menu-content').textContent.trim()`);
    await page.keyboard.press(' ');
    await eventually(async () => assert.equal((await stack.jira('alice', 'GET', `/rest/api/3/issue/${key}`)).body.fields.priority.name, chosen));
    await eventually(async () => assert.equal(await button.evaluate((el) => el === el.ownerDocument.activeElement), true, JSON.stringify(await focused(tab))));

    // The assignee picker: its search field first, Down into the list, Tab and Shift+Tab between the two.
    const assignee = row.locator('.c-assignee');
    await assignee.click();
    await tab.getByRole('menuitem').first().waitFor();
    await eventually(async () => assert.equal((await focused(tab)).tag, 'INPUT'));
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(tab)).role, 'menuitem');
    await page.keyboard.press('Tab');
    assert.equal((await focused(tab)).tag, 'INPUT', 'Tab from the list wraps to the field, not out of the popup');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(tab)).role, 'menuitem', 'Shift+Tab goes back to the list');
    await page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await assignee.evaluate((el) => el === el.ownerDocument.activeElement), true));
    assert.equal(await tab.locator('.editor').count(), 0);
  });

  it('stays inside the narrow panel, goes above a cell near the bottom, and closes on a click outside', async () => {
    const view = await tab.evaluate<{ width: number; height: number }>('({ width: document.documentElement.clientWidth, height: document.documentElement.clientHeight })');
    assert.ok(view.width <= 340, `the side panel is narrow: ${view.width}px`);

    // The Move button is the row's last cell: a popup from its left edge would overflow the panel.
    const first = tab.locator('li.row').first();
    await first.locator('.c-more').click();
    await tab.getByRole('menu', { name: 'Move' }).waitFor();
    const more = await first.locator('.c-more').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    });
    let popup = await boxOf(tab, '.editor');
    assert.ok(more.left + (popup.right - popup.left) > view.width, 'the case: it would not fit from the cell');
    assert.ok(popup.left >= 0 && popup.right <= view.width, `inside the panel: ${JSON.stringify(popup)} in ${view.width}`);
    assert.ok(popup.top >= more.bottom, `below the cell: ${JSON.stringify(popup)} / ${JSON.stringify(more)}`);

    // A press outside (the backlog's title) closes it.
    await tab.locator('.backlog-header h1.title').click();
    await tab.locator('.editor').waitFor({ state: 'detached' });

    // The lowest row wholly in view has less room below it than the priority menu needs: the menu goes above.
    const lowest = await tab.evaluate<string>(
      `(() => { const rows = [...document.querySelectorAll('li.row')].filter((r) => r.getBoundingClientRect().bottom <= document.documentElement.clientHeight); return rows.at(-1).dataset.key; })()`,
    );
    const cell = tab.locator(`li.row[data-key="${lowest}"] .c-priority`);
    await cell.click();
    await tab.getByRole('menuitemradio').first().waitFor();
    const anchor = await cell.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    });
    popup = await boxOf(tab, '.editor');
    assert.ok(view.height - anchor.bottom < popup.bottom - popup.top, `the case: no room below (${view.height - anchor.bottom}px)`);
    assert.ok(popup.bottom <= anchor.top && popup.top >= 0, `above the cell: ${JSON.stringify(popup)} / ${JSON.stringify(anchor)}`);
    await page.keyboard.press('Escape');
    await tab.locator('.editor').waitFor({ state: 'detached' });
  });
});
