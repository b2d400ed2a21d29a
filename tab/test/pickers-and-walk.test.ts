import assert from 'node:assert/strict';
import type { Frame, Locator } from 'playwright-core';
import type { Page } from 'playwright-core';
import { DEFAULT_MEETING_CHAT_ID } from '../../dev/teams-host-emu/src';
import { AUDIENCE, attendee, rowKeys, startTabStack, waitForTabFrame, type TabStack } from './support/start-tab-stack';

const ALICE = attendee('Alice Admin', 1, 'alice');

/** Polls until `check` stops throwing (or returns true), within `timeoutMs`. */
async function eventually(check: () => Promise<unknown>, timeoutMs = 8_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if ((await check()) !== false) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const hostState = (page: Page) => page.evaluate<{ validity: boolean; saveState: string; settings?: Record<string, string> }>('window.teamsHost');
const row = (tab: Frame, key: string) => tab.locator(`li.row[data-key="${key}"]`);

/**
 * WCAG contrast of an element's text (or, with `outline`, its outline) against the background it is
 * drawn on: its own, or the first ancestor's that is not transparent. Computed in the page.
 */
async function contrastOf(locator: Locator, what: 'text' | 'outline' = 'text'): Promise<{ ratio: number; fg: string; bg: string }> {
  return locator.evaluate((el, [code, kind]) => (0, eval)(code)(el, kind), [CONTRAST_IN_PAGE, what] as const) as Promise<{ ratio: number; fg: string; bg: string }>;
}

// A string, not a function: tsx would add helpers to a function that the page does not have.
const CONTRAST_IN_PAGE = `(el, kind) => {
  const rgb = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  const luminance = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  // The outline is drawn around the element, on its parent's background.
  let node = kind === 'outline' ? el.parentElement : el;
  let bg = 'rgb(255, 255, 255)';
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    const alpha = rgb(colour)[3] ?? 1;
    if (alpha > 0 && colour !== 'transparent') { bg = colour; break; }
    node = node.parentElement;
  }
  const style = getComputedStyle(el);
  const fg = kind === 'outline' ? style.outlineColor : style.color;
  const [a, b] = [luminance(rgb(fg)), luminance(rgb(bg))].sort((x, y) => y - x);
  return { ratio: (a + 0.05) / (b + 0.05), fg, bg };
}`;

/**
 * The tab's fixes from the walk of issue #12 and the pickers of issue #18, in Chromium through the
 * Teams host emulation against the bot and the Jira simulator.
 */
describe('tab: pickers, sprints and walk fixes in Chromium', function () {
  this.timeout(60_000);
  let stack: TabStack;

  before(async () => {
    stack = await startTabStack();
    await stack.connect(ALICE);
  });
  after(async () => {
    await stack?.close();
  });

  /** Keys of an Agile issue list (board backlog, sprint issues) in the simulator, in its order. */
  const agileKeys = async (path: string) => (await stack.jira('alice', 'GET', `${path}?maxResults=500&fields=summary`)).body.issues.map((i: { key: string }) => i.key);
  const savedBacklog = async (id: string) => {
    const token = await stack.entra.issueToken({ tenantId: ALICE.tenantId, aadObjectId: ALICE.aadObjectId, name: ALICE.name, audience: AUDIENCE });
    const answer = await fetch(`${stack.bot.bot.url}/api/tab/backlogs/${id}`, { headers: { authorization: `Bearer ${token}` } });
    return ((await answer.json()) as { backlog: { name: string; jql: string; source: Record<string, unknown> } }).backlog;
  };
  const idOfSaved = (settings: Record<string, string> | undefined) => /backlog=([^&]+)$/.exec(settings?.contentUrl ?? '')?.[1] ?? '';

  describe('configuration page pickers', () => {
    it("picks a board's active sprint without typing JQL: the tab takes its name and lists the sprint's issues", async () => {
      const { page, tab } = await stack.open(ALICE, '/tab/?view=config', { context: 'settings', then: 'sidePanel' });
      await tab.getByRole('radio', { name: 'Sprint' }).check();
      await tab.getByRole('combobox', { name: 'Board' }).selectOption({ label: 'PHX board' });
      await tab.getByRole('combobox', { name: 'Sprint' }).selectOption({ label: 'PHX Sprint 3 (active)' });
      assert.deepEqual(
        await tab.getByRole('combobox', { name: 'Sprint' }).locator('option').allTextContents(),
        ['Choose…', 'PHX Sprint 3 (active)', 'PHX Sprint 4 (future)'],
        'closed sprints are not offered',
      );
      assert.equal(await tab.getByRole('textbox', { name: /Name/ }).inputValue(), 'PHX Sprint 3');
      await eventually(async () => (await hostState(page)).validity, 5_000, 'setValidityState(true)');
      await page.click('#save');
      await page.waitForURL(/context=sidePanel/);
      const panel = page.frameLocator('#tab');
      await panel.locator('li.row').first().waitFor();
      const expected = await agileKeys('/rest/agile/1.0/sprint/3/issue');
      // All the sprint's issues, a window of rows at a time (tab/src/list-window).
      const frame = await waitForTabFrame(page);
      await eventually(async () => assert.deepEqual(await rowKeys(frame), expected));
    });

    it("picks a scrum board's backlog and a saved filter, and reopens the saved pick when the tab is reconfigured", async () => {
      const { page, tab } = await stack.open(ALICE, '/tab/?view=config', { context: 'settings' });
      await tab.getByRole('textbox', { name: /Name/ }).fill('Board grooming');
      await tab.getByRole('radio', { name: 'Board' }).check();
      await tab.getByRole('combobox', { name: 'Board' }).selectOption({ label: 'PHX board (scrum)' });
      assert.equal(await tab.getByRole('textbox', { name: /Name/ }).inputValue(), 'Board grooming', 'a typed name stays');
      await eventually(async () => (await hostState(page)).validity);
      await page.click('#save');
      await eventually(async () => (await hostState(page)).saveState === 'saved', 10_000, 'save success');
      const id = idOfSaved((await hostState(page)).settings);
      const board = await savedBacklog(id);
      assert.deepEqual(board.source, { kind: 'board', boardId: 1, name: 'PHX board', projectKey: 'PHX' });

      const again = await stack.open(ALICE, '/tab/?view=config', { context: 'settings', entityId: `backlog-${id}` });
      await eventually(async () => assert.equal(await again.tab.getByRole('combobox', { name: 'Board' }).inputValue(), '1'));
      assert.equal(await again.tab.getByRole('radio', { name: 'Board' }).isChecked(), true);
      await again.tab.getByRole('radio', { name: 'Saved filter' }).check();
      await again.tab.getByRole('combobox', { name: 'Saved filter' }).selectOption({ label: 'Open bugs' });
      await eventually(async () => (await hostState(again.page)).validity);
      await again.page.click('#save');
      await eventually(async () => (await hostState(again.page)).saveState === 'saved', 10_000, 'save success');
      assert.equal(idOfSaved((await hostState(again.page)).settings), id, 'the same backlog');
      const filtered = await savedBacklog(id);
      assert.deepEqual(filtered.source, { kind: 'filter', filterId: '10002', name: 'Open bugs' });
      assert.equal(filtered.jql, 'filter = 10002');
    });
  });

  /** A backlog of the meeting picked from a sprint, through the bot's API as Alice. */
  const sprintBacklog = async (sprintId: number) => {
    stack.seat(ALICE);
    const token = await stack.entra.issueToken({ tenantId: ALICE.tenantId, aadObjectId: ALICE.aadObjectId, name: ALICE.name, audience: AUDIENCE });
    const answer = await fetch(`${stack.bot.bot.url}/api/tab/backlogs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Sprint ${sprintId}`, source: { kind: 'sprint', sprintId }, conversationId: DEFAULT_MEETING_CHAT_ID }),
    });
    assert.equal(answer.status, 201);
    return ((await answer.json()) as { backlog: { id: string } }).backlog.id;
  };
  const sprintIdsOf = async (key: string) =>
    ((await stack.jira('alice', 'GET', `/rest/api/3/issue/${key}?fields=customfield_10020`)).body.fields.customfield_10020 ?? []).map((s: { id: number }) => s.id);

  describe('sprint work', () => {
    it("shows the sprint's goal and dates, moves an issue to the next sprint and back to the backlog in Jira", async () => {
      const sprint3 = await sprintBacklog(3);
      const { tab } = await stack.open(ALICE, `/tab/?view=backlog&backlog=${sprint3}`, { context: 'content' });
      await tab.locator('.live-live').waitFor();
      const simSprint = (await stack.jira('alice', 'GET', '/rest/agile/1.0/sprint/3')).body;
      const info = tab.getByTestId('sprint-info');
      await info.waitFor();
      assert.match((await info.textContent()) ?? '', new RegExp(`PHX Sprint 3 \\(active\\).*Goal: ${simSprint.goal}`));
      assert.deepEqual(await info.locator('time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime'))), [simSprint.startDate, simSprint.endDate]);

      const [key] = await rowKeys(tab);
      assert.ok(key);
      await row(tab, key).locator('.c-more').click();
      await tab.getByRole('menuitem', { name: 'Move to PHX Sprint 4' }).click();
      await eventually(async () =>
        assert.deepEqual(
          (await sprintIdsOf(key)).filter((id: number) => id >= 3),
          [4],
        ),
      );
      await tab.getByTestId('sprint-message').getByText(`Moved ${key} to PHX Sprint 4.`).waitFor();
      // Out of sprint 3, so out of this backlog.
      await row(tab, key).waitFor({ state: 'detached' });

      const sprint4 = await sprintBacklog(4);
      const next = await stack.open(ALICE, `/tab/?view=backlog&backlog=${sprint4}`, { context: 'sidePanel' });
      await row(next.tab, key).waitFor();
      await row(next.tab, key).locator('.c-more').click();
      assert.equal(await next.tab.getByRole('menuitem', { name: 'Move to PHX Sprint 4' }).count(), 0, 'not to its own sprint');
      await next.tab.getByRole('menuitem', { name: 'Move to backlog' }).click();
      await eventually(async () =>
        assert.deepEqual(
          (await sprintIdsOf(key)).filter((id: number) => id >= 3),
          [],
        ),
      );
      assert.ok((await agileKeys('/rest/agile/1.0/board/1/backlog')).includes(key), "on the board's backlog in Jira");
      await row(next.tab, key).waitFor({ state: 'detached' });
    });
  });

  describe('walk fixes', () => {
    it("New issue defaults to the backlog's project, not the first by name", async () => {
      for (const [jql, expected] of [
        ['project = PHX', 'PHX'],
        ['project in (SUP, KAN) AND statusCategory != Done', 'SUP'],
      ] as const) {
        const id = await stack.createBacklog(ALICE, `New issue in ${expected}`, jql);
        const { tab } = await stack.open(ALICE, `/tab/?view=backlog&backlog=${id}`);
        await tab.locator('li.row').first().waitFor();
        await tab.getByRole('button', { name: 'New issue' }).click();
        const project = tab.getByRole('combobox', { name: 'Project' });
        await eventually(async () => assert.equal(await project.inputValue(), expected), 8_000, `project ${expected}`);
        // The type list is that project's, so Create can go ahead at once.
        assert.ok((await tab.getByRole('combobox', { name: 'Type' }).locator('option').count()) > 0);
      }
    });

    it('keeps a hovered or focused row readable in the contrast theme, with a focus ring that stands out', async () => {
      const id = await stack.createBacklog(ALICE, 'Contrast', 'project = PHX ORDER BY Rank ASC');
      const { tab, page } = await stack.open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'content', theme: 'contrast' });
      await tab.locator('li.row').nth(3).waitFor();
      const [key] = await rowKeys(tab);
      assert.ok(key);
      await row(tab, key).locator('.c-summary').hover();
      for (const cell of ['.c-key', '.c-summary', '.c-priority .label', '.c-estimate', '.c-assignee .label']) {
        const { ratio, fg, bg } = await contrastOf(row(tab, key).locator(cell));
        assert.ok(ratio >= 4.5, `hovered row: ${cell} is ${fg} on ${bg}, ${ratio.toFixed(2)}:1`);
      }
      await page.mouse.move(0, 0);

      // From the keyboard: Tab from the key link on to the status button.
      await row(tab, key).locator('.c-key').focus();
      const status = row(tab, key).locator('.c-status');
      for (let presses = 0; presses < 5 && !(await status.evaluate((el) => el.matches(':focus'))); presses++) await page.keyboard.press('Tab');
      assert.equal(await status.evaluate((el) => el.matches(':focus-visible')), true, await tab.evaluate('document.activeElement?.outerHTML'));
      const ring = await contrastOf(status, 'outline');
      assert.ok(ring.ratio >= 3, `focus ring ${ring.fg} on the focused row's ${ring.bg}: ${ring.ratio.toFixed(2)}:1`);
      for (const cell of ['.c-key', '.c-summary']) {
        const { ratio, fg, bg } = await contrastOf(row(tab, key).locator(cell));
        assert.ok(ratio >= 4.5, `focused row: ${cell} is ${fg} on ${bg}, ${ratio.toFixed(2)}:1`);
      }
    });
  });
});
