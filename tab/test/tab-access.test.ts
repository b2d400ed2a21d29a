import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import type { HostTheme } from '../../dev/teams-host-emu/src';
import { DEFAULT_MEETING_CHAT_ID } from '../../dev/teams-host-emu/src';
import { AUDIENCE, attendee, newTabContext, revealRow, rowKeys, searchKeys, startTabStack, type Attendee, type TabStack } from './support/start-tab-stack';

/** axe-core's own bundle from node_modules, put into the tab's frame as a script: no CDN, nothing leaves the machine. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const THEMES: readonly HostTheme[] = ['default', 'dark', 'contrast'];
const ALICE = attendee('Alice Admin', 1, 'alice');
const BOB = attendee('Bob Builder', 2, 'bob');
/** May browse PHX but not edit it (the simulator's demo permissions): Jira refuses his edits. */
const VICTOR = attendee('Victor Viewer', 8, 'victor');
/** Never connects a Jira account. */
const NORA = attendee('Nora Notconnected', 9);
/** `TAB_SCREENSHOTS=1`: keep a picture of every surface axe judges, for people to look at; never a check. */
const SCREENSHOTS = process.env.TAB_SCREENSHOTS === '1' ? path.resolve(__dirname, '../../screenshots/tab/access') : undefined;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the tab's frame (optionally on one element) and fails on every serious or
 * critical violation, listing each with the elements it names.
 */
async function assertNoSeriousViolations(tab: Frame, surface: string, within?: string): Promise<void> {
  if (!(await tab.evaluate('typeof window.axe !== "undefined"'))) await tab.addScriptTag({ content: AXE_SOURCE });
  // Colours are judged once settled: a transition still running (a button's fade as a form opens) would
  // be measured mid-way. Endless animations (a spinner) are left running.
  await tab.evaluate(`Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined)))`);
  // A string, not a function: the tests are compiled without the DOM's types, and tsx would add helpers the page lacks.
  const violations = await tab.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(${within ? `{ include: [[${JSON.stringify(within)}]] }` : 'document'}, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  })()`);
  if (SCREENSHOTS) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await tab.page().screenshot({ path: path.join(SCREENSHOTS, `${surface.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`) });
  }
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes
          .slice(0, 4)
          .map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`)
          .join('\n')}${v.nodes.length > 4 ? `\n    and ${v.nodes.length - 4} more` : ''}`,
    )
    .join('\n');
  assert.equal(serious.length, 0, `${surface}:\n${report}`);
}

/** The contrast of an element's text on the first opaque background behind it (a string: tsx adds helpers a function would need). */
const TEXT_CONTRAST = `(el) => {
  const rgb = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
  const luminance = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  let node = el;
  let bg = 'rgb(255, 255, 255)';
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    if ((rgb(colour)[3] ?? 1) > 0 && colour !== 'transparent') { bg = colour; break; }
    node = node.parentElement;
  }
  const fg = getComputedStyle(el).color;
  const [a, b] = [luminance(rgb(fg)), luminance(rgb(bg))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}`;
const textContrast = (locator: Locator) => locator.evaluate((el, code) => (0, eval)(code)(el) as number, TEXT_CONTRAST);

/** One `main` landmark and one `h1` on the surface. */
async function assertLandmarks(tab: Frame, surface: string): Promise<void> {
  assert.equal(await tab.locator('main').count(), 1, `${surface}: one main landmark`);
  assert.equal(await tab.locator('h1').count(), 1, `${surface}: one h1`);
}
const activeElement = (tab: Frame) => tab.evaluate<string>('document.activeElement?.outerHTML ?? ""');

/** Polls until `check` stops throwing, within 8 s. */
async function eventually(check: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    try {
      if ((await check()) !== false) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Focused {
  /** tag.class of the focused element */
  what: string;
  /** the row it is in, if any */
  key: string | null;
  isRow: boolean;
  inList: boolean;
  top: number;
  left: number;
  height: number;
}
/** The focused element of the tab's frame; null when that is the body or the frame lost the focus. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || !document.hasFocus()) return null;
  const box = el.getBoundingClientRect();
  const row = el.closest('li[data-key]');
  const classes = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).filter((c) => !c.startsWith('cat-') && !c.startsWith('flash-')).join('.') : '';
  return { what: el.tagName.toLowerCase() + classes, key: row ? row.dataset.key : null, isRow: el === row, inList: !!el.closest('ol.issues'), top: box.top + scrollY, left: box.left, height: box.height };
})()`;
/** Whether the element is inside the frame's viewport, below the sticky header. */
const IN_VIEW = (el: unknown) => {
  const box = (el as { getBoundingClientRect(): { top: number; bottom: number } }).getBoundingClientRect();
  const doc = (el as { ownerDocument: { querySelector(s: string): { getBoundingClientRect(): { bottom: number } } | null; defaultView: { innerHeight: number } } }).ownerDocument;
  const header = doc.querySelector('.backlog-header')?.getBoundingClientRect().bottom ?? 0;
  return box.top >= header - 1 && box.bottom <= doc.defaultView.innerHeight + 1;
};
/**
 * Elements of the panel whose text is cut short (an ellipsis or a line clamp), with their text and the
 * nearest tooltip (title); screen-reader-only and hidden text left out.
 */
const TRUNCATED = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('.backlog *')) {
    if (el.closest('.sr-only, [aria-hidden="true"]')) continue;
    const style = getComputedStyle(el);
    if (!/hidden|clip/.test(style.overflowX + style.overflowY) || !el.getClientRects().length) continue;
    if (el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1) continue;
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.sr-only, [aria-hidden="true"]').forEach((hidden) => hidden.remove());
    const text = copy.textContent.trim();
    if (!text) continue;
    const titled = el.closest('[title]');
    out.push({ text, title: titled ? titled.getAttribute('title') : null, what: el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/)[0] : '') });
  }
  return out;
})()`;

/** Stops read as the eye does: each below the last, or on its line and to its right. */
function assertReadingOrder(stops: readonly Focused[], what: string): void {
  for (let i = 1; i < stops.length; i++) {
    const [a, b] = [stops[i - 1], stops[i]];
    const sameLine = Math.abs(b.top - a.top) < Math.min(a.height, b.height) / 2;
    assert.ok(
      sameLine ? b.left > a.left : b.top > a.top,
      `${what}: ${b.what} (${Math.round(b.left)},${Math.round(b.top)}) comes after ${a.what} (${Math.round(a.left)},${Math.round(a.top)})`,
    );
  }
}

/**
 * Changes the first row's priority as someone Jira lets browse but not edit, and checks the refusal is
 * said at once through the alert region (and not the polite status region), and shown in an error notice.
 */
async function refusePriorityEdit(tab: Frame): Promise<void> {
  const alert = tab.locator('[data-testid="alert-region"][role="alert"]');
  const status = tab.locator('[data-testid="status-region"][role="status"]');
  assert.equal(await alert.textContent(), '', 'nothing to say yet');
  const first = tab.locator('li.row').first();
  const key = (await first.getAttribute('data-key'))!;
  await first.locator('button.c-priority').click();
  await tab.locator('.editor [role="menuitemradio"][aria-checked="false"]').first().click();
  await eventually(async () => assert.match((await alert.textContent()) ?? '', new RegExp(`^${key}: .+`)));
  const said = (await alert.textContent())!;
  assert.doesNotMatch(said, /^\S+: (undefined|\[object)/, said);
  assert.equal(await status.textContent(), '', 'a refusal is not said politely as well');
  await eventually(async () => assert.equal(await tab.locator('.notice[data-intent="error"]').first().textContent(), said, 'the notice shows what was said'));
  assert.equal(await tab.getByRole('group', { name: said, exact: true }).count(), 1, 'the notice is named by its text');
}

/**
 * Every surface of the tab, in Teams' three themes, through the Teams host emulation: axe-core
 * must find no serious or critical violation, and the fixes the keyboard walk asked for hold.
 */
describe('tab accessibility in Chromium (axe-core)', function () {
  this.timeout(120_000);
  let stack: TabStack;

  before(async () => {
    stack = await startTabStack();
    await stack.connect(ALICE);
    await stack.connect(BOB);
    await stack.connect(VICTOR);
  });
  after(async () => {
    await stack?.close();
  });
  // Each open panel holds a live stream, and the service allows a user ten at once: close them after each test.
  const opened: Page[] = [];
  const open: TabStack['open'] = async (...args) => {
    const view = await stack.open(...args);
    opened.push(view.page);
    return view;
  };
  afterEach(async () => {
    for (const page of opened.splice(0)) await page.context().close();
  });

  /** A backlog of the meeting from a typed query or a pick (board, sprint, filter), through the bot's API as `who`. */
  const createBacklogOf = async (who: Attendee, name: string, from: { jql: string } | { kind: 'sprint'; sprintId: number }) => {
    stack.seat(who);
    const token = await stack.entra.issueToken({ tenantId: who.tenantId, aadObjectId: who.aadObjectId, name: who.name, audience: AUDIENCE });
    const response = await fetch(`${stack.bot.bot.url}/api/tab/backlogs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, conversationId: DEFAULT_MEETING_CHAT_ID, ...('jql' in from ? { jql: from.jql } : { source: from }) }),
    });
    const body = (await response.json()) as { backlog?: { id: string } };
    assert.equal(response.status, 201, JSON.stringify(body));
    return body.backlog!.id;
  };

  for (const theme of THEMES) {
    describe(`${theme} theme`, () => {
      it('configuration page, and with a board, a sprint and a saved filter chosen, and a query Jira refused', async () => {
        const { page, tab } = await open(ALICE, '/tab/?view=config', { context: 'settings', theme });
        await tab.getByRole('textbox', { name: /Name/ }).waitFor();
        await assertNoSeriousViolations(tab, `config (${theme})`);
        await assertLandmarks(tab, `config (${theme})`);
        // Each pick shows its own pickers and what it will list: judged once chosen.
        await tab.getByRole('radio', { name: 'Board' }).check();
        await tab.getByRole('combobox', { name: 'Board' }).selectOption({ label: 'PHX board (scrum)' });
        await assertNoSeriousViolations(tab, `config, board chosen (${theme})`);
        await tab.getByRole('radio', { name: 'Sprint' }).check();
        await tab.getByRole('combobox', { name: 'Board' }).selectOption({ label: 'PHX board' });
        await tab.getByRole('combobox', { name: 'Sprint' }).selectOption({ label: 'PHX Sprint 3 (active)' });
        await assertNoSeriousViolations(tab, `config, sprint chosen (${theme})`);
        await tab.getByRole('radio', { name: 'Saved filter' }).check();
        await tab.getByRole('combobox', { name: 'Saved filter' }).selectOption({ label: 'Open bugs' });
        await assertNoSeriousViolations(tab, `config, filter chosen (${theme})`);
        // Jira's refusal shows next to the query when Teams' Save is pressed.
        await tab.getByRole('radio', { name: 'JQL query (advanced)' }).check();
        await tab.getByRole('textbox', { name: /JQL query/ }).fill('project = = PHX');
        await page.click('#save');
        await tab.locator('.fui-Field__validationMessage').waitFor();
        await assertNoSeriousViolations(tab, `config, query refused (${theme})`);
      });

      it('side panel list, a hovered and a focused row, the New issue form and an estimation round', async () => {
        const id = await stack.createBacklog(ALICE, `Access ${theme}`, 'project = PHX ORDER BY Rank ASC');
        const { page, tab } = await open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel', theme });
        await tab.locator('.live-live').waitFor();
        await assertNoSeriousViolations(tab, `side panel (${theme})`);
        await assertLandmarks(tab, `side panel (${theme})`);
        // The priority's name is shown next to its glyph in the narrow panel too, and the glyph of Medium is readable.
        const first = tab.locator('li.row').first();
        assert.equal(await first.locator('.c-priority .label').isVisible(), true, 'the priority label shows in the side panel');
        const medium = tab.locator('li.row .c-priority[title="Medium"] .priority-icon').first();
        const glyph = await textContrast(medium);
        assert.ok(glyph >= 4.5, `the Medium glyph is ${glyph.toFixed(2)}:1`);
        // The assignee button is named by what it shows.
        assert.equal((await tab.getByRole('button', { name: /^Assignee: Unassigned$/ }).count()) > 0, true, 'an unassigned row reads "Assignee: Unassigned"');

        // A menu opened from the keyboard focuses the current value, not the first item; Escape goes back to the cell.
        const priorityButton = tab.locator('li.row .c-priority[title="Medium"]').first();
        await priorityButton.focus();
        await page.keyboard.press('Enter');
        await eventually(async () =>
          assert.match(
            await activeElement(tab),
            /role="menuitemradio"[^>]*aria-checked="true"|aria-checked="true"[^>]*role="menuitemradio"/,
            String(await tab.locator('[role="menuitemradio"]').evaluateAll((els) => els.map((e) => `${e.textContent}:${e.getAttribute('aria-checked')}`))),
          ),
        );
        assert.match(await activeElement(tab), /Medium/, await tab.locator('.editor').innerHTML());
        // With a ring that shows: Fluent draws its own only when its keyboard tracker saw the key, which it
        // did not (it starts with the menu), so the tab draws one for :focus-visible.
        const ring = await tab.evaluate<{ visible: boolean; style: string; width: string }>(
          `(() => { const el = document.activeElement; const s = getComputedStyle(el); return { visible: el.matches(':focus-visible'), style: s.outlineStyle, width: s.outlineWidth }; })()`,
        );
        assert.deepEqual(ring, { visible: true, style: 'solid', width: '2px' }, 'the focused menu item shows a 2 px ring');
        await page.keyboard.press('Escape');
        await eventually(async () => assert.equal(await priorityButton.evaluate((el) => el === el.ownerDocument.activeElement), true, await activeElement(tab)));

        // The row highlight does not move for people who asked for less motion.
        const animation = () => first.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).animationName);
        await first.evaluate((el) => el.classList.add('flash-0'));
        assert.equal(await animation(), 'flash-a');
        await page.emulateMedia({ reducedMotion: 'reduce' });
        assert.equal(await animation(), 'none');
        await page.emulateMedia({ reducedMotion: null });
        await first.evaluate((el) => el.classList.remove('flash-0'));

        // Closing the estimate field with Escape leaves the focus on the estimate button, not the page.
        const estimate = first.locator('button.c-estimate');
        await estimate.click();
        await first.locator('input.c-estimate').waitFor();
        await page.keyboard.press('Escape');
        await eventually(async () => assert.equal(await estimate.evaluate((el) => el === el.ownerDocument.activeElement), true, await activeElement(tab)));

        await first.hover();
        await assertNoSeriousViolations(tab, `hovered row (${theme})`, 'li.row');
        await page.mouse.move(0, 0);
        await first.locator('button.c-status').focus();
        await assertNoSeriousViolations(tab, `focused row (${theme})`, 'li.row');

        await tab.getByRole('button', { name: 'New issue' }).click();
        await tab.locator('.create-form').waitFor();
        // Opening the form puts the focus in its Summary.
        await eventually(async () => assert.match(await activeElement(tab), /name="summary"/));
        await assertNoSeriousViolations(tab, `New issue form (${theme})`);
        // A created issue is announced through the status region.
        await tab.getByRole('textbox', { name: 'Summary' }).fill(`Announced in ${theme}`);
        await tab.getByRole('button', { name: 'Create', exact: true }).click();
        const region = tab.locator('[data-testid="status-region"][role="status"]');
        await eventually(async () => assert.match((await region.textContent()) ?? '', /^Created PHX-\d+\.$/));
        // Closing the form puts the focus back on New issue.
        // (Once the notice's bar is in: it loads lazily and, coming in under the pointer mid-click, moved the button.)
        await tab.locator('.notice').first().waitFor();
        await tab.getByRole('button', { name: 'Close', exact: true }).click();
        await eventually(async () => assert.match(await activeElement(tab), /New issue/));

        const key = (await first.getAttribute('data-key'))!;
        await tab.getByRole('button', { name: `Estimate ${key} together` }).click();
        await eventually(async () => assert.match((await tab.locator('section.estimation').textContent()) ?? '', /Pick a card/));
        await assertNoSeriousViolations(tab, `estimation round (${theme})`);
      });

      it('content (wide) view and the meeting stage', async () => {
        const id = await stack.createBacklog(ALICE, `Wide ${theme}`, 'project = PHX ORDER BY Rank ASC');
        for (const context of ['content', 'meetingStage'] as const) {
          const { tab } = await open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context, theme });
          await tab.locator('.live-live').waitFor();
          await assertNoSeriousViolations(tab, `${context} (${theme})`);
          await assertLandmarks(tab, `${context} (${theme})`);
          if (context === 'meetingStage') {
            // The round as everyone watches it on the stage, voting and revealed.
            await tab.getByRole('button', { name: 'Estimate next unestimated' }).click();
            await tab.getByRole('button', { name: 'Vote 3', exact: true }).click();
            await eventually(async () => assert.match((await tab.locator('section.estimation').textContent()) ?? '', /Voted: Alice Admin\./));
            await assertNoSeriousViolations(tab, `round voting on the stage (${theme})`);
            await tab.getByRole('button', { name: 'Reveal votes' }).click();
            await eventually(async () => assert.match((await tab.locator('section.estimation').textContent()) ?? '', /Median 3/));
            await assertNoSeriousViolations(tab, `round revealed on the stage (${theme})`);
          }
        }
      });

      it("a sprint backlog: its header, each row menu with the sprint moves, estimation settings, a revealed and an accepted round, a move's message", async () => {
        const id = await createBacklogOf(ALICE, `Sprint ${theme}`, { kind: 'sprint', sprintId: 3 });
        const { page, tab } = await open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel', theme });
        await tab.locator('.live-live').waitFor();
        await eventually(async () => assert.match((await tab.getByTestId('sprint-info').textContent()) ?? '', /PHX Sprint 3 \(active\)/));
        await assertNoSeriousViolations(tab, `sprint header (${theme})`);

        // A story: the simulator's board estimates in Story Points, which its bugs' screens leave out. Earlier
        // themes moved theirs out of the sprint, so each theme takes the first story still in it.
        const [key] = await searchKeys(stack, 'sprint = 3 AND issuetype = Story ORDER BY Rank ASC');
        const first = await revealRow(tab, key);
        // Each of the row's menus, open over the list: the status and assignee choices come from Jira a moment later.
        for (const [cell, item] of [
          ['c-priority', 'menuitemradio'],
          ['c-status', 'menuitem'],
          ['c-assignee', 'menuitem'],
          ['c-more', 'menuitem'],
        ] as const) {
          await first.locator(`button.${cell}`).click();
          await tab.locator(`.editor [role="${item}"]`).first().waitFor();
          await assertNoSeriousViolations(tab, `${cell} menu open (${theme})`);
          if (cell === 'c-more') {
            const items = (await tab.locator('.editor [role="menuitem"]').allTextContents()).map((text) => text.trim());
            assert.ok(items.includes('Move to PHX Sprint 4') && items.includes('Move to backlog'), `the move menu offers the sprints: ${items.join(', ')}`);
          }
          await page.keyboard.press('Escape');
          await tab.locator('.editor').waitFor({ state: 'detached' });
        }

        await first.locator('button.c-estimate').click();
        await first.locator('input.c-estimate').waitFor();
        await assertNoSeriousViolations(tab, `estimate field open (${theme})`);
        await page.keyboard.press('Escape');

        await tab.getByRole('button', { name: 'Estimation settings' }).click();
        await tab.locator('fieldset.estimation-settings').waitFor();
        await assertNoSeriousViolations(tab, `estimation settings (${theme})`);
        // Its native checkbox is drawn for a dark page in the dark themes, not as a white box.
        const scheme = await tab.locator('fieldset.estimation-settings input[type="checkbox"]').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).colorScheme);
        assert.equal(scheme, theme === 'default' ? 'normal' : 'dark');
        await tab.getByRole('button', { name: 'Estimation settings' }).click();

        await tab.getByRole('button', { name: `Estimate ${key} together` }).click();
        await tab.getByRole('button', { name: 'Vote 5', exact: true }).click();
        await eventually(async () => assert.match((await tab.locator('section.estimation').textContent()) ?? '', /Voted: Alice Admin\./));
        await tab.getByRole('button', { name: 'Reveal votes' }).click();
        await eventually(async () => assert.match((await tab.locator('section.estimation').textContent()) ?? '', /Median 5, average 5\. Consensus\./));
        await assertNoSeriousViolations(tab, `revealed round (${theme})`);
        await tab.getByRole('button', { name: 'Accept into Jira' }).click();
        await eventually(async () => assert.match((await tab.locator('section.estimation').textContent()) ?? '', /Alice Admin accepted 5/));
        await assertNoSeriousViolations(tab, `accepted round (${theme})`);

        await first.locator('button.c-more').click();
        await tab.getByRole('menuitem', { name: 'Move to PHX Sprint 4' }).click();
        await eventually(async () => assert.equal(await tab.getByTestId('sprint-message').textContent(), `Moved ${key} to PHX Sprint 4.`));
        await assertNoSeriousViolations(tab, `sprint move message (${theme})`);
      });

      it('an empty backlog, "connect first", and an edit Jira refused', async () => {
        const empty = await createBacklogOf(ALICE, `Empty ${theme}`, { jql: 'project = PHX AND summary ~ "nothing here matches this"' });
        const { tab } = await open(ALICE, `/tab/?view=backlog&backlog=${empty}`, { context: 'sidePanel', theme });
        await tab.getByTestId('empty').waitFor();
        await assertNoSeriousViolations(tab, `empty backlog (${theme})`);
        await assertLandmarks(tab, `empty backlog (${theme})`);

        const id = await createBacklogOf(ALICE, `Refused ${theme}`, { jql: 'project = PHX ORDER BY Rank ASC' });
        const unconnected = await open(NORA, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel', theme });
        await unconnected.tab.locator('[role="alert"][data-error-code="notConnected"]').waitFor();
        await assertNoSeriousViolations(unconnected.tab, `connect first (${theme})`);
        await assertLandmarks(unconnected.tab, `connect first (${theme})`);
        // An error rather than a warning: a backlog that is gone.
        const gone = await open(ALICE, '/tab/?view=backlog&backlog=no-such-backlog', { context: 'sidePanel', theme });
        await gone.tab.locator('[role="alert"][data-error-code="notFound"]').waitFor();
        await assertNoSeriousViolations(gone.tab, `backlog not found (${theme})`);
        await assertLandmarks(gone.tab, `backlog not found (${theme})`);
        const unconnectedConfig = await open(NORA, '/tab/?view=config', { context: 'settings', theme });
        await unconnectedConfig.tab.locator('.fui-Field__validationMessage').first().waitFor();
        await assertNoSeriousViolations(unconnectedConfig.tab, `config, connect first (${theme})`);

        // Opened outside Teams (a link followed in a browser): the page says where to open it.
        const outside = await (await newTabContext(stack.browser)).newPage();
        opened.push(outside);
        await outside.goto(`${stack.bot.bot.url}/tab/?theme=${theme}`);
        await outside.getByTestId('outside-teams').waitFor();
        await assertNoSeriousViolations(outside.mainFrame(), `outside Teams (${theme})`);
        await assertLandmarks(outside.mainFrame(), `outside Teams (${theme})`);

        const viewer = await open(VICTOR, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel', theme });
        await viewer.tab.locator('.live-live').waitFor();
        await refusePriorityEdit(viewer.tab);
        await assertNoSeriousViolations(viewer.tab, `refused edit (${theme})`);
      });
    });
  }
  /**
   * The side panel from the keyboard, in the default theme: the list is one Tab stop with the arrow
   * keys inside it, the Tab order is the visual order, other attendees' edits are said politely, and
   * names cut short by the narrow panel have a tooltip.
   */
  describe('side panel keyboard and announcements', () => {
    /** What has the focus in the tab's frame (null: the body, or the focus left the frame). */
    const focused = (tab: Frame) => tab.evaluate<Focused | null>(FOCUSED);
    const press = async (page: Page, key: string) => {
      await page.keyboard.press(key);
      return focused(page.frames().find((f) => f.url().includes('/tab/'))!);
    };
    /**
     * A key that moves to a row the virtualized list may not have drawn (End, Home, Page Down): the
     * list draws it and focuses it over the next frames, so this waits (up to 2 s) for the focus to
     * reach `want`, and answers what has it then.
     */
    const pressToRow = async (page: Page, key: string, want: string | undefined) => {
      let now = await press(page, key);
      for (let tries = 0; now?.key !== want && tries < 40; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        now = await focused(page.frames().find((f) => f.url().includes('/tab/'))!);
      }
      return now;
    };

    it('makes the list one Tab stop with arrow keys inside, in the visual order, for 120 issues', async () => {
      const id = await stack.createBacklog(ALICE, 'Keyboard', 'project = PHX ORDER BY Rank ASC');
      const { page, tab } = await open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel' });
      await tab.locator('.live-live').waitFor();
      // The keys in Jira's order: a virtualized list has only some of them in the DOM.
      const keys = await searchKeys(stack, 'project = PHX ORDER BY Rank ASC');
      assert.ok(keys.length >= 120, `${keys.length} issues`);
      await eventually(async () => assert.equal(await tab.locator('.count').textContent(), `${keys.length} issues`));

      // From the top of the panel, Tab until the focus leaves the frame.
      await tab.locator('h1').evaluate((el) => ((el as unknown as { tabIndex: number }).tabIndex = -1));
      await tab.locator('h1').focus();
      const stops: Focused[] = [];
      for (let presses = 0; presses < 40; presses++) {
        const now = await press(page, 'Tab');
        if (!now) break;
        stops.push(now);
      }
      const listed = stops.map((stop) => stop.what).join(', ');
      assert.ok(stops.length > 0 && stops.length <= 12, `${stops.length} Tab stops for ${keys.length} rows: ${listed}`);
      const inList = stops.filter((stop) => stop.inList);
      assert.deepEqual(
        inList.map((stop) => [stop.key, stop.isRow]),
        [[keys[0], true]],
        `one stop in the list, its first row: ${listed}`,
      );
      assertReadingOrder(stops, 'the Tab stops of the panel');

      // Back into the list, then the arrow keys.
      await tab.locator(`li.row[data-key="${keys[0]}"]`).focus();
      assert.equal((await press(page, 'ArrowDown'))?.key, keys[1]);
      assert.equal((await press(page, 'ArrowDown'))?.key, keys[2]);
      assert.equal((await press(page, 'ArrowUp'))?.key, keys[1]);
      const end = await pressToRow(page, 'End', keys.at(-1));
      assert.deepEqual([end?.key, end?.isRow], [keys.at(-1), true]);
      await eventually(async () => assert.equal(await tab.locator(`li.row[data-key="${keys.at(-1)}"]`).evaluate(IN_VIEW), true, 'End scrolls the last row into view'));
      assert.equal((await pressToRow(page, 'Home', keys[0]))?.key, keys[0]);
      await eventually(async () => assert.equal(await tab.locator(`li.row[data-key="${keys[0]}"]`).evaluate(IN_VIEW), true, 'Home scrolls back to the first row'));
      assert.equal((await pressToRow(page, 'PageDown', keys[10]))?.key, keys[10]);
      assert.equal((await press(page, 'ArrowUp'))?.key, keys[9]);

      // The list remembers its row: Tab leaves it, Shift+Tab comes back to that row.
      const after = await press(page, 'Tab');
      assert.equal(after === null || !after.inList, true, `Tab leaves the list: ${after?.what}`);
      const back = await press(page, 'Shift+Tab');
      assert.deepEqual([back?.key, back?.isRow], [keys[9], true]);

      // Into the row: Enter, then Tab goes round its controls in the order they show, Escape goes back.
      const first = await press(page, 'Enter');
      assert.deepEqual([first?.key, first?.isRow, first?.what], [keys[9], false, 'a.c-key']);
      const controls: Focused[] = [first!];
      for (let presses = 0; presses < 12; presses++) {
        const next = await press(page, 'Tab');
        assert.equal(next?.key, keys[9], `Tab stays in the row: ${next?.what}`);
        if (next.what === first!.what) break;
        controls.push(next);
      }
      assert.deepEqual(
        controls.map((control) => control.what.split('.')[1]),
        ['c-key', 'poker-start', 'c-status', 'c-priority', 'c-estimate', 'c-assignee', 'c-more'],
      );
      assertReadingOrder(controls, "a row's controls");
      assert.equal((await press(page, 'Shift+Tab'))?.what, 'button.c-more', 'Shift+Tab from the first control goes round to the last');
      const row = await press(page, 'Escape');
      assert.deepEqual([row?.key, row?.isRow], [keys[9], true]);
      assert.equal((await press(page, 'F2'))?.what, 'a.c-key');
      assert.equal((await press(page, 'ArrowRight'))?.what, 'button.poker-start');
      assert.equal((await press(page, 'ArrowLeft'))?.what, 'a.c-key');
      assert.equal((await press(page, 'ArrowLeft'))?.isRow, true);
      assert.equal((await press(page, 'ArrowRight'))?.what, 'a.c-key');
      // A control reached this way shows its focus ring.
      assert.equal(await tab.locator(`li.row[data-key="${keys[9]}"] a.c-key`).evaluate((el) => el.matches(':focus-visible')), true);
      await press(page, 'Escape');
      assert.equal(await tab.locator(`li.row[data-key="${keys[9]}"]`).evaluate((el) => el.matches(':focus-visible')), true, 'the focused row shows a ring');
      const ring = await tab.locator(`li.row[data-key="${keys[9]}"]`).evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).outlineStyle);
      assert.equal(ring, 'solid');
    });

    it("says other attendees' edits politely and not one's own, and the row does not flash for reduced motion", async () => {
      const id = await stack.createBacklog(ALICE, 'Announced', 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
      stack.seat(BOB);
      const { page, tab } = await open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel' });
      await tab.locator('.live-live').waitFor();
      const region = tab.getByTestId('changes-region');
      assert.equal(await region.getAttribute('aria-live'), 'polite');
      // Every text the region takes, kept in the page.
      await tab.evaluate(`(() => {
        const region = document.querySelector('[data-testid="changes-region"]');
        window.said = [];
        new MutationObserver(() => window.said.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
      })()`);
      const said = () => tab.evaluate<string[]>('window.said');
      const [own, other] = await rowKeys(tab);
      assert.ok(own && other);
      // Bob's calls to the tab API, as his own panel makes them.
      const token = await stack.entra.issueToken({ tenantId: BOB.tenantId, aadObjectId: BOB.aadObjectId, name: BOB.name, audience: AUDIENCE });
      const api = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${stack.bot.bot.url}/api/tab/backlogs/${id}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        assert.equal(response.status, 200, await response.clone().text());
        return response.json() as Promise<any>;
      };

      // Alice's own estimate: in Jira, and not announced to her.
      const ownEstimate = tab.locator(`li.row[data-key="${own}"] button.c-estimate`);
      await ownEstimate.click();
      await tab.locator(`li.row[data-key="${own}"] input.c-estimate`).fill('21');
      await page.keyboard.press('Enter');
      await eventually(async () => assert.equal((await api('GET', `/issues/${own}`)).issue.estimate, 21));

      // Bob changes another issue's priority.
      const { priorities } = (await api('GET', '/options')) as { priorities: { id: string; name: string }[] };
      const current = (await stack.jira('bob', 'GET', `/rest/api/3/issue/${other}?fields=priority`)).body.fields.priority?.id;
      const next = priorities.find((p) => p.id !== current)!;
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await api('PATCH', `/issues/${other}`, { priorityId: next.id });
      const sentence = `Bob Builder changed ${other} priority to ${next.name}.`;
      await eventually(async () => assert.equal(await region.textContent(), sentence));
      // The row says it changed without moving: its flash class is on, its animation is not.
      const flashed = tab.locator(`li.row[data-key="${other}"]`);
      assert.match((await flashed.getAttribute('class')) ?? '', /flash-/);
      assert.equal(await flashed.evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).animationName), 'none');
      await page.emulateMedia({ reducedMotion: null });
      assert.ok(
        (await said()).every((text) => !text.includes(own)),
        `Alice's own edit is not announced to her: ${JSON.stringify(await said())}`,
      );
      assert.equal((await said()).filter((text) => text === sentence).length, 1, `once, though Jira's webhook echoes it: ${JSON.stringify(await said())}`);
    });

    it('gives names cut short in the narrow panel a tooltip with the whole name', async () => {
      const long = `Grooming of the payments platform, checkout, refunds and the ledger for the quarter ${'and more '.repeat(8)}`.trim();
      const id = await stack.createBacklog(ALICE, long, 'project = SUP ORDER BY Rank ASC');
      const keys = await (async () => {
        const { tab } = await open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel' });
        await tab.locator('li.row').first().waitFor();
        return rowKeys(tab);
      })();
      const summary = `A summary far too long for the side panel's two lines: ${'it goes on and on '.repeat(8)}`.trim();
      assert.equal((await stack.jira('alice', 'PUT', `/rest/api/3/issue/${keys[0]}`, { fields: { summary } })).status, 204);
      const { tab } = await open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel' });
      await tab.locator('.live-live').waitFor();
      await eventually(async () => assert.match((await tab.locator('li.row').first().textContent()) ?? '', /far too long/));
      const cut = await tab.evaluate<{ text: string; title: string | null; what: string }[]>(TRUNCATED);
      const names = cut.map((c) => c.what);
      assert.ok(names.includes('h1.title') && names.includes('span.c-summary'), `the long names are cut short: ${JSON.stringify(cut)}`);
      for (const { text, title, what } of cut) assert.ok(title?.includes(text), `${what} "${text}" is cut short and its tooltip is ${JSON.stringify(title)}`);
    });
  });
});
