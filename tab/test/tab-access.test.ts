import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Frame, Locator } from 'playwright-core';
import type { HostTheme } from '../../dev/teams-host-emu/src';
import { attendee, startTabStack, type TabStack } from './support/start-tab-stack';

/** axe-core's own bundle from node_modules, put into the tab's frame as a script: no CDN, nothing leaves the machine. */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const THEMES: readonly HostTheme[] = ['default', 'dark', 'contrast'];
const ALICE = attendee('Alice Admin', 1, 'alice');

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
  // A string, not a function: the tests are compiled without the DOM's types, and tsx would add helpers the page lacks.
  const violations = await tab.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(${within ? `{ include: [[${JSON.stringify(within)}]] }` : 'document'}, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  })()`);
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
  });
  after(async () => {
    await stack?.close();
  });

  for (const theme of THEMES) {
    describe(`${theme} theme`, () => {
      it('configuration page', async () => {
        const { tab } = await stack.open(ALICE, '/tab/?view=config', { context: 'settings', theme });
        await tab.getByRole('textbox', { name: /Name/ }).waitFor();
        await assertNoSeriousViolations(tab, `config (${theme})`);
        await assertLandmarks(tab, `config (${theme})`);
      });

      it('side panel list, a hovered and a focused row, the New issue form and an estimation round', async () => {
        const id = await stack.createBacklog(ALICE, `Access ${theme}`, 'project = PHX ORDER BY Rank ASC');
        const { page, tab } = await stack.open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel', theme });
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
        await assertNoSeriousViolations(tab, `New issue form (${theme})`);
        // A created issue is announced through the status region.
        await tab.getByRole('textbox', { name: 'Summary' }).fill(`Announced in ${theme}`);
        await tab.getByRole('button', { name: 'Create', exact: true }).click();
        const region = tab.locator('[data-testid="status-region"][role="status"]');
        await eventually(async () => assert.match((await region.textContent()) ?? '', /^Created PHX-\d+\.$/));
        // Closing the form puts the focus back on New issue.
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
          const { tab } = await stack.open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context, theme });
          await tab.locator('.live-live').waitFor();
          await assertNoSeriousViolations(tab, `${context} (${theme})`);
          await assertLandmarks(tab, `${context} (${theme})`);
        }
      });
    });
  }
});
