import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Route } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium/launch-chromium';
import { attendee, newTabContext, startTabServices, waitForTabFrame, type TabServices } from './support/start-tab-stack';

const ALICE = attendee('Alice Admin', 1, 'alice');
const ASSETS = /\/tab\/assets\/([^/?]+\.js)$/;

/**
 * The first screen loads only the JS that index.html lists (the bench's tab measure counts those files
 * as the first screen's bytes), with no Fluent UI and no React runtime: with every other chunk held back, the
 * list still renders. Then the panel prefetches the editor by itself, and the editor opens.
 */
describe('the tab first screen’s JS in Chromium', function () {
  this.timeout(60_000);
  let services: TabServices;
  let browser: Browser;

  before(async () => {
    services = await startTabServices();
    await services.connect(ALICE);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await services?.close();
  });

  it('renders the list with only the chunks index.html lists, then prefetches the editor, which opens', async () => {
    const html = readFileSync(path.resolve(__dirname, '../dist/index.html'), 'utf8');
    const listed = new Set([...html.matchAll(/\/tab\/assets\/([^"]+\.js)"/g)].map((m) => m[1]));
    assert.ok(
      [...listed].some((f) => f.startsWith('render-app-')),
      `index.html preloads the UI chunk: ${[...listed].join(', ')}`,
    );
    // The vendor groups of vite.config.mts: Fluent UI stays off the first screen.
    assert.deepEqual(
      [...listed].filter((f) => f.startsWith('fluent')),
      [],
      'no Fluent chunk on the first screen',
    );
    // Preact runs the React API (vite.config.mts): React's own runtime, about 60 KB gzip, stays out. Its
    // production builds link every error to react.dev/errors; Preact's code does not.
    assert.deepEqual(
      [...listed].filter((f) => readFileSync(path.resolve(__dirname, '../dist/assets', f), 'utf8').includes('react.dev/errors')),
      [],
      'no React runtime on the first screen',
    );

    const held: Array<{ file: string; route: Route }> = [];
    let release = false;
    let editorRequested: () => void = () => undefined;
    const editorPrefetched = new Promise<void>((resolve) => (editorRequested = resolve));
    let fluentRequested: () => void = () => undefined;
    const fluentPrefetched = new Promise<void>((resolve) => (fluentRequested = resolve));
    const context = await newTabContext(browser);
    try {
      await context.route(ASSETS, async (route) => {
        const file = ASSETS.exec(new URL(route.request().url()).pathname)![1];
        if (file.startsWith('issue-editor-')) editorRequested();
        if (file.startsWith('fluent')) fluentRequested();
        if (listed.has(file) || release) return route.continue();
        held.push({ file, route });
      });
      const id = await services.createBacklog(ALICE, 'First screen', 'project = PHX ORDER BY Rank ASC');
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const { jira: _jira, ...user } = ALICE;
      await page.goto(services.host.pageUrl({ tab: `${services.bot.bot.url}/tab/?view=backlog&backlog=${id}`, user, context: 'sidePanel' }));
      const tab = await waitForTabFrame(page);
      const first = tab.locator('.backlog[data-load="done"] li.row').first();
      await first.waitFor();

      // Once the list is in and idle, the panel fetches the editor's chunk and its Fluent chunk on its own
      // (the browser asks for them one after the other, not always in the same breath).
      await Promise.all([editorPrefetched, fluentPrefetched]);
      assert.ok(
        held.some((h) => h.file.startsWith('fluent')),
        `the editor's Fluent chunks were asked for after the list: ${held.map((h) => h.file).join(', ')}`,
      );
      release = true;
      for (const { route } of held.splice(0)) await route.continue();

      await first.locator('.c-priority').click();
      await tab.getByRole('menuitemradio').first().waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows index.html’s Loading… to a page whose scripts do not run, half a second on, not before they could', async () => {
    // Laid out at once, its text would make the browser look up fonts just before the scripts run (styles.css).
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(`${services.bot.bot.url}/tab/?view=backlog&backlog=none`);
      const boot = page.locator('p.boot');
      const shown = await boot.evaluate((element) => {
        // Through the element's window: the root tsconfig has no DOM library, so no global getComputedStyle.
        const style = element.ownerDocument.defaultView!.getComputedStyle(element);
        return { animation: style.animationName, delay: style.animationDelay };
      });
      assert.deepEqual(shown, { animation: 'boot-shows', delay: '0.5s' });
      await boot.waitFor({ state: 'visible' });
      assert.equal(await boot.textContent(), 'Loading…');
    } finally {
      await context.close();
    }
  });
});
