import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { createIssue } from '../../dev/jira-sim/src/issues/create-issue';
import { attendee, rowKeys, startTabStack, type TabStack } from './support/start-tab-stack';

const ALICE = attendee('Alice Admin', 1, 'alice');
const ISSUES = 1_000;
/** The demo seed's PHX (120) and KAN (60) issues; the test adds the rest in KAN. */
const SEEDED = 180;
const JQL = 'project in (PHX, KAN) ORDER BY Rank ASC';
/** More rows than any viewport of the tests shows, with the window's margins; far fewer than the list. */
const MAX_ROWS_IN_DOM = 120;

/** Where the tab's rows are: how many are in the DOM, and the places (aria-posinset) of the first and last. */
const rendered = (tab: Frame) =>
  tab.evaluate<{ count: number; first: number; last: number; size: number }>(`(() => {
    const rows = [...document.querySelectorAll('li.row')];
    const place = (row) => Number(row?.getAttribute('aria-posinset') ?? 0);
    return { count: rows.length, first: place(rows[0]), last: place(rows.at(-1)), size: Number(rows[0]?.getAttribute('aria-setsize') ?? 0) };
  })()`);
/**
 * Waits until the row at `place` has the focus and is inside the frame's viewport (rows measured
 * after the move may shift it once, before the page settles).
 */
const focusedInView = (tab: Frame, place: number) =>
  tab.waitForFunction(`(() => {
    const row = document.activeElement?.closest('li.row');
    if (!row || row.getAttribute('aria-posinset') !== '${place}') return false;
    const box = row.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight + 1;
  })()`);

/**
 * A 1,000-issue backlog in Chromium through the Teams host emulation: the list renders a window of
 * rows, and the keyboard and the scroll bar both reach the last issue.
 */
describe('a 1,000-issue backlog in Chromium', function () {
  this.timeout(120_000);
  let stack: TabStack;
  let backlogId: string;

  before(async () => {
    stack = await startTabStack();
    await stack.connect(ALICE);
    // The simulator's own create, as POST /rest/api/3/issue runs it, without 820 webhooks to the bot:
    // the backlog is made afterwards, and what the test drives is the tab.
    const me = await stack.jira('alice', 'GET', '/rest/api/3/myself');
    for (let n = 1; n <= ISSUES - SEEDED; n++) {
      createIssue(stack.sim.state, me.body.accountId, { fields: { project: { key: 'KAN' }, issuetype: { name: 'Task' }, summary: `Long backlog issue ${n}` } });
    }
    backlogId = await stack.createBacklog(ALICE, 'Long', JQL);
  });
  after(async () => {
    await stack?.close();
  });

  const openLoaded = async (context: 'content' | 'sidePanel', initScript?: string): Promise<{ page: Page; tab: Frame }> => {
    const opened = await stack.open(ALICE, `/tab/?view=backlog&backlog=${backlogId}`, { context, initScript });
    opened.page.setDefaultTimeout(20_000);
    await opened.tab.locator(`.backlog[data-load="done"] li.row[aria-setsize="${ISSUES}"]`).first().waitFor();
    return opened;
  };

  it('renders only a window of rows, and End, Home and Page Down move through all of them', async () => {
    const { page, tab } = await openLoaded('content');
    assert.equal(await tab.locator('.count').textContent(), `${ISSUES} issues`);
    const top = await rendered(tab);
    assert.equal(top.size, ISSUES);
    assert.equal(top.first, 1);
    assert.ok(top.count > 5 && top.count <= MAX_ROWS_IN_DOM, `${top.count} rows in the DOM`);

    await tab.locator('li.row[aria-posinset="1"]').focus();
    await page.keyboard.press('End');
    await focusedInView(tab, ISSUES);
    const bottom = await rendered(tab);
    assert.equal(bottom.last, ISSUES);
    assert.ok(bottom.count <= MAX_ROWS_IN_DOM, `${bottom.count} rows in the DOM at the end`);

    await page.keyboard.press('Home');
    await focusedInView(tab, 1);

    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    await focusedInView(tab, 21);
  });

  it('draws only the rows on screen first, and the rows below them once the page is idle', async () => {
    // In the tab's frame, before its scripts: where the rows of the list's first render are.
    const firstRender = `(() => {
      if (!location.pathname.startsWith('/tab/')) return;
      new MutationObserver((_, observer) => {
        const rows = [...document.querySelectorAll('li.row')];
        if (!rows.length) return;
        observer.disconnect();
        window.firstRows = { count: rows.length, belowScreen: rows.filter((row) => row.getBoundingClientRect().top >= window.innerHeight).length };
      }).observe(document, { subtree: true, childList: true });
    })()`;
    const { tab } = await openLoaded('content', firstRender);
    const first = await tab.evaluate<{ count: number; belowScreen: number }>('window.firstRows');
    assert.ok(first.count > 5, `${first.count} rows in the first render`);
    assert.equal(first.belowScreen, 0, 'the first render draws no row below the screen');
    // Then the margin below the viewport, so that a scroll shows rows already laid out.
    await tab.waitForFunction(`[...document.querySelectorAll('li.row')].some((row) => row.getBoundingClientRect().top >= window.innerHeight + 200)`);
    assert.ok((await rendered(tab)).count <= MAX_ROWS_IN_DOM);
  });

  it('draws no row below the screen while pages are still coming in', async () => {
    // Each page that comes in updates every row drawn (its aria-setsize): rows drawn below the screen
    // while the bot reads the next page would make each of the ten pages cost more to show.
    const watch = `(() => {
      if (!location.pathname.startsWith('/tab/')) return;
      window.belowWhileLoading = 0;
      new MutationObserver(() => {
        if (!document.querySelector('.backlog[data-load="more"]')) return;
        const below = [...document.querySelectorAll('li.row')].filter((row) => row.getBoundingClientRect().top >= window.innerHeight).length;
        window.belowWhileLoading = Math.max(window.belowWhileLoading, below);
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-load', 'aria-setsize'] });
    })()`;
    const { tab } = await openLoaded('content', watch);
    assert.equal(await tab.evaluate<number>('window.belowWhileLoading'), 0, 'rows below the screen while pages were coming in');
    await tab.waitForFunction(`[...document.querySelectorAll('li.row')].some((row) => row.getBoundingClientRect().top >= window.innerHeight + 200)`);
  });

  it('shows the last issue when the page is scrolled to its end, in the side panel too', async () => {
    for (const context of ['content', 'sidePanel'] as const) {
      const { tab } = await openLoaded(context);
      // Scrolled as a user drags the scroll bar: to the end, then wherever the rows' measured heights moved it.
      // What is rendered is read in the same turn as the check: rows measured a frame later may still
      // grow the page under a busy machine and move the window up again, until the next scroll.
      const atEnd = await tab.waitForFunction(`(() => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        const last = document.querySelector('li.row[aria-posinset="${ISSUES}"]');
        if (!last) return false;
        const box = last.getBoundingClientRect();
        if (!(box.bottom <= window.innerHeight + 1 && box.bottom > 0)) return false;
        const rows = [...document.querySelectorAll('li.row')];
        return { count: rows.length, last: Number(rows.at(-1).getAttribute('aria-posinset')) };
      })()`);
      const end = (await atEnd.jsonValue()) as { count: number; last: number };
      assert.ok(end.count <= MAX_ROWS_IN_DOM, `${context}: ${end.count} rows in the DOM at the end`);
      assert.equal(end.last, ISSUES, context);
    }
  });

  it('lists every key in Jira\u2019s order, a window at a time', async () => {
    const { tab } = await openLoaded('content');
    const keys = await rowKeys(tab);
    const inJira: string[] = [];
    let nextPageToken: string | undefined;
    do {
      const page = await stack.jira('alice', 'POST', '/rest/api/3/search/jql', { jql: JQL, maxResults: 100, fields: ['id'], ...(nextPageToken ? { nextPageToken } : {}) });
      inJira.push(...page.body.issues.map((issue: { key: string }) => issue.key));
      nextPageToken = page.body.nextPageToken;
    } while (nextPageToken);
    assert.equal(keys.length, ISSUES);
    assert.deepEqual(keys, inJira);
  });
});
