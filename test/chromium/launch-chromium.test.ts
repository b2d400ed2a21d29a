import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { findChromium } from '../../scripts/chromium/find-chromium';
import { launchChromium } from '../../scripts/chromium/launch-chromium';

/** The features the browser was started without, read from its own chrome://version page (the last switch wins, as in Chromium). */
async function disabledFeatures(browser: Browser): Promise<string[]> {
  const page = await browser.newPage();
  try {
    await page.goto('chrome://version');
    const commandLine = (await page.locator('#command_line').textContent()) ?? '';
    const switches = [...commandLine.matchAll(/--disable-features=(\S+)/g)];
    assert.ok(switches.length > 0, `no --disable-features in ${commandLine}`);
    return switches.at(-1)![1].split(',');
  } finally {
    await page.close();
  }
}

/** The browser's own address-bar popup pages once a new context has loaded a page. */
async function popupPages(browser: Browser): Promise<string[]> {
  const context = await browser.newContext();
  try {
    await (await context.newPage()).goto('about:blank');
    const cdp = await browser.newBrowserCDPSession();
    // An empty filter entry lists every kind of target, the browser's own UI pages included.
    const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{}] });
    await cdp.detach();
    return targetInfos.filter((t) => t.url.includes('omnibox')).map((t) => t.url);
  } finally {
    await context.close();
  }
}

describe('launching Chromium for the browser tests and the bench', function () {
  // Two browser starts; a busy machine can take a while.
  this.timeout(60_000);
  let ours: Browser | undefined;
  let plain: Browser | undefined;

  afterEach(async function () {
    await ours?.close();
    await plain?.close();
    ours = plain = undefined;
  });

  it('keeps every feature Playwright disables, since Chromium keeps only our --disable-features', async function () {
    const found = findChromium();
    assert.ok(found.found, 'this machine has a Chromium (the browser tests need one)');
    plain = await chromium.launch({ executablePath: found.path, args: ['--no-sandbox'] });
    ours = await launchChromium();
    const playwrights = await disabledFeatures(plain);
    const kept = new Set(await disabledFeatures(ours));
    assert.deepEqual(
      playwrights.filter((feature) => !kept.has(feature)),
      [],
      'add these to PLAYWRIGHT_DISABLED_FEATURES in scripts/chromium/launch-chromium.ts',
    );
  });

  it('opens no address-bar popup page beside a new context, which would compete with the page under test for CPU', async function () {
    const found = findChromium();
    assert.ok(found.found, 'this machine has a Chromium (the browser tests need one)');
    plain = await chromium.launch({ executablePath: found.path, args: ['--no-sandbox'] });
    ours = await launchChromium();
    // Playwright's plain launch shows that the check sees the popup when Chromium opens it.
    assert.notDeepEqual(await popupPages(plain), [], 'this Chromium preloads no address-bar popup: OUR_DISABLED_FEATURES may go');
    assert.deepEqual(await popupPages(ours), []);
  });
});
