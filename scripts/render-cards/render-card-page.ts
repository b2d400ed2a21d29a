/**
 * Renders Adaptive Cards the way a Teams client draws them: the `adaptivecards` JS renderer with
 * Teams' published host config, Markdown through markdown-it, in headless Chromium. Used by
 * scripts/render-cards.ts (screenshots to look at) and by a test (no renderer warnings).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

export type Theme = 'light' | 'dark';

export interface CardToRender {
  name: string;
  card: unknown;
  /** Titles of Action.ShowCard buttons to open before the screenshot. */
  expand?: string[];
}

export interface RenderedCard {
  name: string;
  theme: Theme;
  /** Parse and validation messages from the renderer; a good card has none. */
  warnings: string[];
  png?: Buffer;
  /** What a reader sees: the rendered text, Markdown applied. */
  text: string;
  /** Rendered size in CSS pixels. */
  width: number;
  height: number;
}

const ROOT = path.resolve(__dirname, '../..');
const SHARED_REF = path.resolve(ROOT, '../shared/ref');

/** Teams draws cards in chat at most about this wide. */
const CARD_WIDTH = 460;

const PAGE_BACKGROUND: Record<Theme, string> = { light: '#f5f5f5', dark: '#1f1f1f' };

export function hostConfig(theme: Theme): unknown {
  return JSON.parse(fs.readFileSync(path.join(SHARED_REF, `adaptivecards/hostconfig-microsoft-teams-${theme}.json`), 'utf8'));
}

/** Renders each card on its own page and returns what the renderer reported, with a PNG when asked. */
export async function renderCards(browser: Browser, cards: readonly CardToRender[], options: { theme: Theme; screenshot: boolean }): Promise<RenderedCard[]> {
  const context = await browser.newContext({ viewport: { width: CARD_WIDTH + 40, height: 800 }, deviceScaleFactor: 2 });
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
    await openHostPage(page, options.theme);
    const results: RenderedCard[] = [];
    for (const item of cards) {
      pageErrors.length = 0;
      results.push(await renderOne(page, item, options, pageErrors));
    }
    return results;
  } finally {
    await context.close();
  }
}

type InPage = {
  renderCard(card: unknown, config: unknown, expand: string[]): { warnings: string[] };
  imagesLoaded(): boolean;
  actOnCard(values: Record<string, string>, buttonTitle: string): ActResult;
};

export type ActResult = { executed?: { type: string; verb?: string; data: unknown }; error?: string };

/**
 * Renders a card, opens its show cards, fills inputs (CSS selector -> value) and presses a
 * button, returning what the renderer would send: the action's verb and its data with inputs.
 */
export async function actOnCard(browser: Browser, item: CardToRender, values: Record<string, string>, buttonTitle: string): Promise<ActResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await openHostPage(page, 'light');
    await page.evaluate(([card, config, expand]) => (globalThis as unknown as InPage).renderCard(card, config, expand), [
      item.card,
      hostConfig('light'),
      [...(item.expand ?? [])],
    ] as [unknown, unknown, string[]]);
    return await page.evaluate(([v, title]) => (globalThis as unknown as InPage).actOnCard(v, title), [values, buttonTitle] as [Record<string, string>, string]);
  } finally {
    await context.close();
  }
}

async function openHostPage(page: Page, theme: Theme): Promise<void> {
  // Cards point at Jira and Atlassian's avatar service; nothing may leave this machine, so
  // images are answered with drawn stand-ins and everything else is refused.
  await page.route('**/*', (route) => {
    const request = route.request();
    if (request.resourceType() === 'image') {
      return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: standInImage(request.url()) });
    }
    return route.abort();
  });
  await page.setContent(pageHtml(theme));
  await page.addScriptTag({ path: path.join(path.dirname(require.resolve('markdown-it')), 'browser/markdown-it.umd.min.js') });
  await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.js') });
  await page.addScriptTag({ path: path.join(__dirname, 'render-in-page.js') });
}

async function renderOne(page: Page, item: CardToRender, options: { theme: Theme; screenshot: boolean }, pageErrors: string[]): Promise<RenderedCard> {
  const report = await page.evaluate(([card, config, expand]) => (globalThis as unknown as InPage).renderCard(card, config, expand), [
    item.card,
    hostConfig(options.theme),
    [...(item.expand ?? [])],
  ] as [unknown, unknown, string[]]);
  // Let images decode before measuring and drawing.
  await page.waitForFunction(() => (globalThis as unknown as InPage).imagesLoaded());
  const host = page.locator('#host');
  const box = (await host.boundingBox()) ?? { width: 0, height: 0 };
  const png = options.screenshot ? await host.screenshot() : undefined;
  const text = await host.innerText();
  return {
    name: item.name,
    theme: options.theme,
    warnings: [...report.warnings, ...pageErrors],
    png,
    text,
    width: Math.round(box.width),
    height: Math.round(box.height),
  };
}

function pageHtml(theme: Theme): string {
  const css = fs.readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css'), 'utf8');
  const dark = theme === 'dark';
  // Teams draws with Segoe UI; Liberation Sans (Arial's metrics) is the nearest font on Linux,
  // so truncation and wrapping in the screenshots come close to the real client.
  return `<!doctype html><html><head><meta charset="utf-8"><style>
@font-face { font-family: 'Segoe UI'; src: local('Liberation Sans'); font-weight: 400; }
@font-face { font-family: 'Segoe UI'; src: local('Liberation Sans Bold'), local('LiberationSans-Bold'); font-weight: 600 700; }
${css}
body { margin: 0; padding: 20px; background: ${PAGE_BACKGROUND[theme]}; font-family: "Segoe UI", sans-serif; }
#host { width: ${CARD_WIDTH}px; border-radius: 6px; overflow: hidden; box-shadow: 0 1px 3px rgba(0,0,0,.25); }
.ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; padding: 4px 12px; min-height: 32px; border-radius: 4px;
  border: 1px solid ${dark ? '#605e5c' : '#e0e0e0'}; background: ${dark ? '#292929' : '#ffffff'}; color: ${dark ? '#ffffff' : '#242424'}; cursor: pointer; }
.ac-pushButton.expanded { background: ${dark ? '#3d3d3d' : '#ebebeb'}; color: ${dark ? '#ffffff' : '#242424'}; }
.ac-input, .ac-input select, .ac-input textarea, .ac-multichoiceInput { font-family: inherit; }
.ac-textInput, select.ac-input, .ac-choiceSetInput-compact { border: 1px solid ${dark ? '#605e5c' : '#d1d1d1'}; border-radius: 4px; padding: 4px 8px;
  background: ${dark ? '#1f1f1f' : '#ffffff'}; color: ${dark ? '#ffffff' : '#242424'}; min-height: 32px; }
.ac-textBlock p { margin: 0; }
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 20px; }
a.ac-anchor:link, a.ac-anchor:visited { color: ${dark ? '#7f85f5' : '#5b5fc7'}; }
</style></head><body><div id="host"></div></body></html>`;
}

/** A drawn placeholder: round initials for avatars, a coloured square for icons. */
function standInImage(url: string): string {
  if (/avatar|gravatar/i.test(url) && !/issuetype/i.test(url)) {
    const initials = (/initials\/([A-Z]{1,2})/.exec(url)?.[1] ?? 'JR').slice(0, 2);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" fill="#6264a7"/><text x="24" y="31" font-size="20" font-family="sans-serif" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  }
  const colour = /bug/i.test(url) ? '#e5493a' : /story/i.test(url) ? '#63ba3c' : '#4bade8';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" rx="3" fill="${colour}"/><circle cx="8" cy="8" r="3.5" fill="#fff"/></svg>`;
}
