import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-theme';
import type { Frame, Locator, Page } from 'playwright-core';
import { AUDIENCE, attendee, revealRow, rowKeys, searchKeys, startTabStack, type TabStack } from './support/start-tab-stack';

const SCREENSHOTS = path.resolve(__dirname, '../../screenshots/tab');
/**
 * Screenshots are for people to look at (`npm run render:tab`), not a check: a test run takes none.
 * What a test needs to know about the looks (theme colours, no scroll jump) it asserts.
 */
const KEEP_SCREENSHOTS = process.env.TAB_SCREENSHOTS === '1';
async function keepScreenshot(target: { screenshot(options: { path: string }): Promise<unknown> }, name: string): Promise<void> {
  if (KEEP_SCREENSHOTS) await target.screenshot({ path: path.join(SCREENSHOTS, name) });
}
/**
 * Resolves once the element's own and its children's CSS animations (a popover's fade-in) are over.
 * A cancelled animation (its element redrawn meanwhile) rejects `finished` with an AbortError: it is
 * over too.
 */
async function animationsDone(locator: Locator): Promise<void> {
  await locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((animation: { finished: Promise<unknown> }) => animation.finished.catch(() => undefined))));
}
const ALICE = attendee('Alice Admin', 1, 'alice');
const BOB = attendee('Bob Builder', 2, 'bob');
const NORA = attendee('Nora Notconnected', 9);
const CAROL_ACCOUNT = '712020:00000000-0000-4000-8000-000000000003';
/** Connected through OAuth with the app's scopes, where the API tokens above may call anything the user can (issue #17). */
const CAROL = attendee('Carol Product', 3, 'carol', 'oauth');

/** Polls until `check` stops throwing (or returns true), within `timeoutMs`. */
async function eventually(check: () => Promise<unknown>, timeoutMs = 8_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const hostState = (page: Page) => page.evaluate<{ validity: boolean; saveState: string; saveFailure?: string; settings?: Record<string, string> }>('window.teamsHost');
const row = (tab: Frame, key: string) => tab.locator(`li.row[data-key="${key}"]`);
/** Text content, not innerText: rows below the fold are not laid out (content-visibility), so innerText is empty. */
const textOf = async (locator: Locator) => (await locator.textContent()) ?? '';

/**
 * The tab in headless Chromium, framed by the Teams host emulation, against the assembled bot, the
 * Entra emulation and the Jira simulator; every assertion about Jira reads the simulator itself.
 */
describe('grooming tab in Chromium', function () {
  this.timeout(60_000);
  let stack: TabStack;

  const simIssue = async (key: string) => (await stack.jira('alice', 'GET', `/rest/api/3/issue/${key}`)).body;
  const simKeys = (jql: string) => searchKeys(stack, jql);
  const openBacklog = async (who = ALICE, jql = 'project = PHX', options: Parameters<TabStack['open']>[2] = {}) => {
    const id = await stack.createBacklog(ALICE, `Grooming ${jql}`, jql);
    const opened = await stack.open(who, `/tab/?view=backlog&backlog=${id}`, options);
    return { id, ...opened };
  };

  before(async () => {
    if (KEEP_SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startTabStack({ oauth: true });
    await stack.connect(ALICE);
    await stack.connect(BOB);
    await stack.connect(CAROL);
  });
  after(async () => {
    await stack?.close();
  });

  describe('configuration page', () => {
    it('saves the backlog through the bot and gives Teams the backlog URL, entityId and name', async () => {
      const { page, tab } = await stack.open(ALICE, '/tab/?view=config', { context: 'settings' });
      await tab.getByRole('textbox', { name: /Name/ }).fill('Sprint 42 grooming');
      await tab.getByRole('radio', { name: /JQL query/ }).check();
      assert.equal((await hostState(page)).validity, false, 'no query yet: Save stays off');
      await tab.getByRole('textbox', { name: /JQL/ }).fill('project = KAN ORDER BY Rank ASC');
      await eventually(async () => (await hostState(page)).validity, 5_000, 'setValidityState(true)');

      await page.click('#save');
      await eventually(async () => (await hostState(page)).saveState === 'saved', 10_000, 'save success');
      const { settings } = await hostState(page);
      const match = /^(.+)\/tab\/\?view=backlog&backlog=([^&]+)$/.exec(settings?.contentUrl ?? '');
      assert.ok(match, settings?.contentUrl);
      assert.equal(match[1], stack.bot.bot.url, 'the content URL is on the bot that serves the tab');
      assert.equal(settings?.entityId, `backlog-${match[2]}`);
      assert.equal(settings?.suggestedDisplayName, 'Sprint 42 grooming');

      const token = await stack.entra.issueToken({ tenantId: ALICE.tenantId, aadObjectId: ALICE.aadObjectId, name: ALICE.name, audience: AUDIENCE });
      const saved = await fetch(`${stack.bot.bot.url}/api/tab/backlogs/${match[2]}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(saved.status, 200);
      const { backlog } = (await saved.json()) as { backlog: { name: string; jql: string } };
      assert.deepEqual({ name: backlog.name, jql: backlog.jql }, { name: 'Sprint 42 grooming', jql: 'project = KAN ORDER BY Rank ASC' });
      await keepScreenshot(page, 'config-light.png');
    });

    it("shows Jira's own error for invalid JQL next to the query and keeps the dialog open", async () => {
      const { page, tab } = await stack.open(ALICE, '/tab/?view=config', { context: 'settings', theme: 'dark' });
      await tab.getByRole('textbox', { name: /Name/ }).fill('Broken');
      await tab.getByRole('radio', { name: /JQL query/ }).check();
      await tab.getByRole('textbox', { name: /JQL/ }).fill('project = = PHX');
      await eventually(async () => (await hostState(page)).validity);
      await page.click('#save');
      await eventually(async () => (await hostState(page)).saveState === 'failed', 10_000, 'save failure');

      const token = await stack.entra.issueToken({ tenantId: ALICE.tenantId, aadObjectId: ALICE.aadObjectId, name: ALICE.name, audience: AUDIENCE });
      const direct = await fetch(`${stack.bot.bot.url}/api/tab/backlogs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Broken', jql: 'project = = PHX' }),
      });
      const { error } = (await direct.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'invalidJql');
      await tab.getByText(error.message).waitFor({ timeout: 5_000 });
      assert.equal((await hostState(page)).settings, undefined, 'no tab URL was given to Teams');
      await keepScreenshot(page, 'config-invalid-jql-dark.png');
    });

    it("opens the saved backlog in the meeting side panel right after Save, as npm start's link does", async () => {
      const { page, tab } = await stack.open(ALICE, '/tab/?view=config', { context: 'settings', then: 'sidePanel' });
      await tab.getByRole('textbox', { name: /Name/ }).fill('Straight to the panel');
      await tab.getByRole('radio', { name: /JQL query/ }).check();
      await tab.getByRole('textbox', { name: /JQL/ }).fill('project = KAN AND issuetype = Bug');
      await eventually(async () => (await hostState(page)).validity);
      await page.click('#save');
      await page.waitForURL(/context=sidePanel/);
      const panel = page.frameLocator('#tab');
      await panel.locator('li.row').first().waitFor();
      assert.match(await textOf(panel.locator('.backlog-title h1')), /Straight to the panel/);
      const bugs = await simKeys('project = KAN AND issuetype = Bug ORDER BY Rank ASC');
      // The list renders only the rows near the viewport: rowKeys scrolls through it for every key, in order.
      const frame = await (await page.locator('#tab').elementHandle())?.contentFrame();
      assert.ok(frame);
      await eventually(async () => assert.deepEqual(await rowKeys(frame), bugs));
    });

    it('reconfigures a saved tab: the form shows its backlog and Save updates it', async () => {
      const id = await stack.createBacklog(ALICE, 'Before', 'project = PHX');
      const { page, tab } = await stack.open(ALICE, '/tab/?view=config', { context: 'settings', entityId: `backlog-${id}` });
      const name = tab.getByRole('textbox', { name: /Name/ });
      await eventually(async () => assert.equal(await name.inputValue(), 'Before'));
      assert.equal(await tab.getByRole('textbox', { name: /JQL/ }).inputValue(), 'project = PHX');
      await name.fill('After');
      await eventually(async () => (await hostState(page)).validity);
      await page.click('#save');
      await eventually(async () => (await hostState(page)).saveState === 'saved', 10_000, 'save success');
      const { settings } = await hostState(page);
      assert.equal(settings?.entityId, `backlog-${id}`, 'the same backlog, not a new one');
      assert.equal(settings?.suggestedDisplayName, 'After');
    });
  });

  describe('backlog panel', () => {
    it('lists every issue of the query in rank order, as the simulator orders them', async () => {
      const { tab, page } = await openBacklog(ALICE, 'project = PHX');
      const expected = await simKeys('project = PHX ORDER BY Rank ASC');
      assert.equal(expected.length, 120);
      await eventually(async () => assert.deepEqual(await rowKeys(tab), expected), 15_000);
      const first = await simIssue(expected[0]);
      const text = await textOf(row(tab, expected[0]));
      assert.ok(text.includes(first.fields.summary), text);
      assert.ok(text.toLowerCase().includes(first.fields.status.name.toLowerCase()), text);
      await tab.locator('.live-live').waitFor();
      await keepScreenshot(page, 'backlog-side-panel-light.png');
    });

    it('changes priority, estimate, assignee and status in Jira from the row', async () => {
      const { tab } = await openBacklog(ALICE, 'project = KAN ORDER BY Rank ASC');
      await tab.locator('li.row').first().waitFor();
      // One still to do, so that "Start progress" is among its transitions.
      const key = (await simKeys('project = KAN AND status = "To Do" ORDER BY Rank ASC'))[0];
      assert.ok(key);

      const before = await simIssue(key);
      const priority = before.fields.priority?.name === 'Highest' ? 'Lowest' : 'Highest';
      await row(tab, key).locator('.c-priority').click();
      await tab.getByRole('menuitemradio', { name: priority }).click();
      await eventually(async () => assert.equal((await simIssue(key)).fields.priority.name, priority));
      await eventually(async () => assert.match(await textOf(row(tab, key).locator('.c-priority')), new RegExp(priority)));

      await row(tab, key).locator('.c-estimate').click();
      await row(tab, key).locator('input.c-estimate').fill('8');
      await row(tab, key).locator('input.c-estimate').press('Enter');
      await eventually(async () => assert.equal((await simIssue(key)).fields.customfield_10016, 8));
      await eventually(async () => assert.equal(await textOf(row(tab, key).locator('.c-estimate')), '8'));

      await row(tab, key).locator('.c-assignee').click();
      await tab.getByRole('textbox', { name: 'Search assignable people' }).fill('carol');
      await tab.getByRole('menuitem', { name: /Carol Product/ }).click();
      await eventually(async () => assert.equal((await simIssue(key)).fields.assignee?.accountId, CAROL_ACCOUNT));
      await eventually(async () => assert.match(await textOf(row(tab, key).locator('.c-assignee')), /Carol Product/));

      await row(tab, key).locator('.c-status').click();
      await tab.getByRole('menuitem', { name: /In Progress/ }).click();
      await eventually(async () => assert.equal((await simIssue(key)).fields.status.name, 'In Progress'));
      await eventually(async () => assert.match(await textOf(row(tab, key).locator('.c-status')), /in progress/i));
    });

    it('assigns an issue to the attendee with Assign to me', async () => {
      const { tab, page } = await openBacklog(BOB, 'project = KAN ORDER BY Rank ASC');
      // Avatars on the simulated site cannot load here: a failed avatar must not break the next update.
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await tab.locator('li.row').first().waitFor();
      const key = (await simKeys('project = KAN AND (assignee != 712020:00000000-0000-4000-8000-000000000002 OR assignee is EMPTY) ORDER BY Rank ASC'))[0];
      assert.ok(key);
      await row(tab, key).locator('.c-assignee').click();
      await tab.getByRole('menuitem', { name: /Carol Product/ }).waitFor();
      await tab.getByRole('menuitem', { name: 'Assign to me' }).click();
      await eventually(async () => assert.equal((await simIssue(key)).fields.assignee?.accountId, '712020:00000000-0000-4000-8000-000000000002'));
      await eventually(async () => assert.match(await textOf(row(tab, key).locator('.c-assignee')), /Bob Builder/));
      // Already theirs: the picker no longer offers it.
      await row(tab, key).locator('.c-assignee').click();
      await tab.getByRole('menuitem', { name: 'Unassigned' }).waitFor();
      assert.equal(await tab.getByRole('menuitem', { name: 'Assign to me' }).count(), 0);
      assert.deepEqual(errors, []);
    });

    it('moves issues down, to the top and up, and Jira ranks them so', async () => {
      const jql = 'project = KAN AND issuetype = Bug';
      const { tab } = await openBacklog(ALICE, jql);
      await tab.locator('li.row').first().waitFor();
      const initial = await rowKeys(tab);
      assert.ok(initial.length >= 4, `${initial.length} bugs`);
      const [a, b, c] = initial as [string, string, string];

      await row(tab, a).locator('.c-more').click();
      await tab.getByRole('menuitem', { name: 'Move down' }).click();
      await eventually(async () => assert.deepEqual((await simKeys(`${jql} ORDER BY Rank ASC`)).slice(0, 3), [b, a, c]));

      await row(tab, c).locator('.c-more').click();
      await tab.getByRole('menuitem', { name: 'Move to top' }).click();
      await eventually(async () => assert.deepEqual((await simKeys(`${jql} ORDER BY Rank ASC`)).slice(0, 3), [c, b, a]));

      await row(tab, a).locator('.c-more').click();
      await tab.getByRole('menuitem', { name: 'Move up' }).click();
      await eventually(async () => assert.deepEqual((await simKeys(`${jql} ORDER BY Rank ASC`)).slice(0, 3), [c, a, b]));
      await eventually(async () => assert.deepEqual((await rowKeys(tab)).slice(0, 3), [c, a, b]));

      // The keyboard does the same: Alt+Down on a focused row.
      await row(tab, c).locator('.c-status').focus();
      await tab.page().keyboard.press('Alt+ArrowDown');
      await eventually(async () => assert.deepEqual((await simKeys(`${jql} ORDER BY Rank ASC`)).slice(0, 3), [a, c, b]));
    });

    it('creates an issue that shows up in the list and in Jira', async () => {
      const { tab } = await openBacklog(ALICE, 'project = KAN ORDER BY created DESC');
      await tab.locator('li.row').first().waitFor();
      await tab.getByRole('button', { name: 'New issue' }).click();
      await tab.getByRole('combobox', { name: 'Project' }).selectOption({ label: 'KAN – Atlas Web' });
      await tab.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Task' });
      await tab.getByRole('textbox', { name: 'Summary' }).fill('Groomed into existence');
      await tab.getByRole('button', { name: 'Create' }).click();

      let created = '';
      await eventually(async () => {
        const found = await simKeys('project = KAN AND summary ~ "Groomed into existence"');
        assert.equal(found.length, 1);
        created = found[0]!;
      });
      assert.equal((await simIssue(created)).fields.issuetype.name, 'Task');
      // At the end of a list longer than the viewport: rendered once scrolled to (tab/src/list-window).
      await eventually(async () => assert.match(await textOf(await revealRow(tab, created)), /Groomed into existence/));
    });

    it("works for an attendee connected through OAuth: Jira's priorities in the menu, an inline edit, New issue's lists and create", async () => {
      const { tab } = await openBacklog(CAROL, 'project = KAN ORDER BY created DESC');
      await tab.locator('li.row').first().waitFor();
      const key = (await simKeys('project = KAN ORDER BY created DESC'))[0];
      assert.ok(key);

      // The site's priorities as Jira lists them: the menu must show them all, not a spinner.
      const priorities = ((await stack.jira('alice', 'GET', '/rest/api/3/priority')).body as { name: string }[]).map((p) => p.name);
      assert.ok(priorities.length >= 3, priorities.join());
      await row(tab, key).locator('.c-priority').click();
      for (const name of priorities) await tab.getByRole('menuitemradio', { name, exact: true }).waitFor();
      assert.equal(await tab.getByRole('menuitemradio').count(), priorities.length);
      const current = (await simIssue(key)).fields.priority?.name;
      const chosen = priorities.find((name) => name !== current)!;
      await tab.getByRole('menuitemradio', { name: chosen, exact: true }).click();
      await eventually(async () => assert.equal((await simIssue(key)).fields.priority.name, chosen));
      // Written as Carol, so through her OAuth grant and not someone else's connection.
      const history = (await stack.jira('alice', 'GET', `/rest/api/3/issue/${key}/changelog?maxResults=100`)).body.values as { author?: { accountId: string } }[];
      assert.equal(history.at(-1)?.author?.accountId, CAROL_ACCOUNT);

      await tab.getByRole('button', { name: 'New issue' }).click();
      const project = tab.getByRole('combobox', { name: 'Project' });
      const type = tab.getByRole('combobox', { name: 'Type' });
      await eventually(async () => assert.ok((await project.locator('option').count()) > 0), 8_000, 'projects');
      await project.selectOption({ label: 'KAN – Atlas Web' });
      await eventually(async () => assert.ok((await type.locator('option').count()) > 0), 8_000, 'issue types');
      await type.selectOption({ label: 'Task' });
      await tab.getByRole('textbox', { name: 'Summary' }).fill('Created through OAuth');
      await tab.getByRole('button', { name: 'Create' }).click();
      await eventually(async () => {
        const [created] = await simKeys('project = KAN AND summary ~ "Created through OAuth"');
        assert.ok(created);
        assert.equal((await simIssue(created)).fields.reporter?.accountId, CAROL_ACCOUNT);
      });
    });

    it('shows the edit of one attendee to another in the same meeting, highlighted', async () => {
      const id = await stack.createBacklog(ALICE, 'Shared', 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
      const alice = await stack.open(ALICE, `/tab/?view=backlog&backlog=${id}`);
      const bob = await stack.open(BOB, `/tab/?view=backlog&backlog=${id}`);
      await alice.tab.locator('.live-live').waitFor();
      await bob.tab.locator('.live-live').waitFor();
      const [key] = await rowKeys(bob.tab);
      assert.ok(key);
      const current = (await simIssue(key)).fields.customfield_10016;
      const next = current === 13 ? 3 : 13;

      await row(bob.tab, key).locator('.c-estimate').click();
      await row(bob.tab, key).locator('input.c-estimate').fill(String(next));
      await row(bob.tab, key).locator('input.c-estimate').press('Enter');
      // How fast it arrives is the bench's to measure (tab measure); here it must arrive at all.
      await eventually(async () => assert.equal(await textOf(row(alice.tab, key).locator('.c-estimate')), String(next)), 15_000);
      assert.match((await row(alice.tab, key).getAttribute('class')) ?? '', /flash-/, "the row flashes on the other attendee's panel");
      assert.equal((await simIssue(key)).fields.customfield_10016, next);

      // A move by one attendee reorders the other's list too.
      const last = (await rowKeys(bob.tab)).at(-1)!;
      await (await revealRow(bob.tab, last)).locator('.c-more').click();
      await bob.tab.getByRole('menuitem', { name: 'Move to top' }).click();
      await eventually(async () => assert.equal((await rowKeys(alice.tab))[0], last), 5_000);
      assert.deepEqual(await rowKeys(alice.tab), await rowKeys(bob.tab));
    });

    it('shows a change made directly in Jira', async () => {
      const { tab } = await openBacklog(ALICE, 'project = PHX AND issuetype = Task ORDER BY Rank ASC');
      await tab.locator('.live-live').waitFor();
      const [key] = await rowKeys(tab);
      assert.ok(key);
      const summary = `Renamed in Jira ${Date.now()}`;
      assert.equal((await stack.jira('bob', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } })).status, 204);
      await eventually(async () => assert.match(await textOf(row(tab, key)), new RegExp(summary)), 8_000);
    });

    it('reconnects after the stream drops and catches up on what changed meanwhile', async () => {
      const { page, tab } = await openBacklog(ALICE, 'project = KAN AND issuetype = Story ORDER BY Rank ASC');
      await tab.locator('.live-live').waitFor();
      const [key] = await rowKeys(tab);
      assert.ok(key);
      // The stream drops (the server ends it) and stays unreachable for a while.
      const blocked = (url: URL) => url.pathname.endsWith('/events');
      await page.context().route(blocked, (route) => route.abort());
      stack.bot.bot.meetings.hub.close();
      await tab.locator('.live-live').waitFor({ state: 'detached' });
      const summary = `Changed while disconnected ${Date.now()}`;
      assert.equal((await stack.jira('bob', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } })).status, 204);
      await stack.sim.webhooks.idle();
      assert.doesNotMatch(await textOf(row(tab, key)), new RegExp(summary), 'no stream, no event');
      await page.context().unroute(blocked);
      await tab.locator('.live-live').waitFor({ timeout: 15_000 });
      await eventually(async () => assert.match(await textOf(row(tab, key)), new RegExp(summary)), 8_000);
    });

    it('tells a user without a Jira connection to send connect in the personal chat', async () => {
      const { tab, page } = await openBacklog(NORA, 'project = PHX');
      const alert = tab.locator('[data-error-code="notConnected"]');
      await alert.waitFor();
      const text = await textOf(alert);
      assert.match(text, /Connect your Jira account/);
      assert.match(text, /personal chat/i);
      assert.match(text, /connect/);
      await keepScreenshot(page, 'not-connected-side-panel-light.png');
    });

    it('says so when no issue matches', async () => {
      const { tab, page } = await openBacklog(ALICE, 'project = PHX AND summary ~ "no-such-words-anywhere"');
      const empty = tab.getByTestId('empty');
      await empty.waitFor();
      assert.match(await textOf(empty), /No issues match this backlog/);
      assert.equal((await rowKeys(tab)).length, 0);
      await keepScreenshot(page, 'empty-side-panel-light.png');
    });
  });

  describe('meeting stage', () => {
    // The manifest's meetingStage context and MeetingStage.Write.Chat let Teams' own "Share to
    // stage" put this page on the stage; it must then be the wide list, live with the side panels.
    it('shows the backlog shared to the stage in the wide layout, with side-panel edits arriving live', async () => {
      const id = await stack.createBacklog(ALICE, 'On stage', 'project = PHX AND issuetype = Story ORDER BY Rank ASC');
      const panel = await stack.open(ALICE, `/tab/?view=backlog&backlog=${id}`, { context: 'sidePanel' });
      const stage = await stack.open(BOB, `/tab/?view=backlog&backlog=${id}`, { context: 'meetingStage' });
      await panel.tab.locator('.live-live').waitFor();
      await stage.tab.locator('.live-live').waitFor();
      assert.ok((await stage.tab.evaluate<number>('innerWidth')) >= 600, 'the stage frame is wide');
      assert.deepEqual(await rowKeys(stage.tab), await rowKeys(panel.tab));

      const [key] = await rowKeys(panel.tab);
      assert.ok(key);
      const next = (await simIssue(key)).fields.customfield_10016 === 5 ? 2 : 5;
      await row(panel.tab, key).locator('.c-estimate').click();
      await row(panel.tab, key).locator('input.c-estimate').fill(String(next));
      await row(panel.tab, key).locator('input.c-estimate').press('Enter');
      await eventually(async () => assert.equal(await textOf(row(stage.tab, key).locator('.c-estimate')), String(next)), 5_000);
      assert.equal((await simIssue(key)).fields.customfield_10016, next);
      await keepScreenshot(stage.page, 'backlog-stage-light.png');
    });
  });

  describe('outside Teams', () => {
    it('says to open it from Teams, at /tab/ and for a backlog opened in a plain browser tab', async () => {
      const context = await stack.browser.newContext();
      await context.route(
        (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
        (route) => route.abort(),
      );
      const page = await context.newPage();
      try {
        await page.goto(`${stack.bot.bot.url}/tab/`);
        assert.match(await textOf(page.getByTestId('outside-teams')), /Open this from Microsoft Teams/);
        await page.goto(`${stack.bot.bot.url}/tab/?view=backlog&backlog=anything`);
        assert.match(await textOf(page.getByTestId('outside-teams')), /did not hear from Microsoft Teams/);
      } finally {
        await context.close();
      }
    });
  });

  describe('themes and editors', () => {
    it('opens the editors and the create form in the side panel (dark) without scrolling the list', async () => {
      const { page, tab } = await openBacklog(ALICE, 'project = PHX ORDER BY Rank ASC', { context: 'sidePanel', theme: 'dark' });
      await tab.locator('li.row').nth(3).waitFor();
      const [key] = await rowKeys(tab);
      await row(tab, key).locator('.c-assignee').click();
      await tab.getByRole('menuitem').first().waitFor();
      await animationsDone(tab.getByRole('menu').first());
      assert.equal(await tab.evaluate('document.scrollingElement.scrollTop'), 0, 'opening an editor does not scroll the list');
      await keepScreenshot(page, 'editor-assignee-side-dark.png');
      await page.keyboard.press('Escape');
      await row(tab, key).locator('.c-priority').click();
      await tab.getByRole('menuitemradio').first().waitFor();
      await animationsDone(tab.getByRole('menu').first());
      await keepScreenshot(page, 'editor-priority-side-dark.png');
      await page.keyboard.press('Escape');
      await tab.getByRole('button', { name: 'New issue' }).click();
      await tab.getByRole('textbox', { name: 'Summary' }).waitFor();
      await keepScreenshot(page, 'create-form-side-dark.png');
    });

    for (const theme of ['default', 'dark', 'contrast'] as const) {
      it(`takes the ${theme} theme's colours in the side panel and the wide tab`, async () => {
        const side = await openBacklog(ALICE, 'project = PHX ORDER BY Rank ASC', { context: 'sidePanel', theme });
        await side.tab.locator('li.row').nth(10).waitFor();
        await keepScreenshot(side.page.locator('aside.panel'), `backlog-side-${theme}.png`);
        const wide = await openBacklog(ALICE, 'project = PHX ORDER BY Rank ASC', { context: 'content', theme });
        await wide.tab.locator('li.row').nth(10).waitFor();
        await keepScreenshot(wide.page, `backlog-wide-${theme}.png`);
        const background = await wide.tab.locator('.app').evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor as string);
        assert.equal(background === 'rgb(255, 255, 255)', theme === 'default', `${theme} background is ${background}`);
        // The Fluent components, loaded later in their own provider, take the same theme's tokens from the page.
        await wide.tab.getByRole('button', { name: 'New issue' }).click();
        const field = wide.tab.locator('.fui-Input').first();
        await field.waitFor();
        const fieldBackground = await field.evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor as string);
        const token = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme }[theme].colorNeutralBackground1;
        assert.equal(fieldBackground, `rgb(${[1, 3, 5].map((at) => parseInt(token.slice(at, at + 2), 16)).join(', ')})`, `${theme} input background`);
      });
    }
  });
});
