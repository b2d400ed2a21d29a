import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { siteIdOf } from '../../../bot/src/wiring/site-directory';
import { ADMIN_WEBHOOK_PATH } from '../../../bot/src/http/webhook-routes';
import { startTestBot, type TestBot } from '../../../bot/test/support/start-test-bot';
import { connectAs, oauthAppEnv, type ConnectionKind } from '../../../bot/test/support/connect-as';
import { seatMeeting, seatMore } from '../../../bot/test/meetings/seat-meeting';
import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim, type SeedName } from '../../../dev/jira-sim/src';
import { DEFAULT_MEETING_CHAT_ID, startTeamsHostEmu, type EmulatedUser, type FrameContext, type HostTheme, type TeamsHostEmu } from '../../../dev/teams-host-emu/src';
import { launchChromium } from '../../../scripts/chromium/launch-chromium';
import { tabBuildIsStale } from '../../../scripts/start-local/tab-build-is-stale';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const WEBHOOK_SECRET = 'tab-browser-test-webhook-secret';
const TAB_DIST = path.resolve(__dirname, '../../dist');

/**
 * A Teams user of the tests; `jira` names the simulator's demo user they connect as (none: not
 * connected), `via` how (default: an API token; 'oauth' needs a stack started with `oauth`).
 */
export interface Attendee extends EmulatedUser {
  jira?: string;
  via?: ConnectionKind;
}

export const attendee = (name: string, n: number, jira?: string, via?: ConnectionKind): Attendee => ({
  name,
  aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  tenantId: TENANT,
  jira,
  ...(via ? { via } : {}),
});

export interface OpenTab {
  page: Page;
  /** The tab's own frame inside the host page. */
  tab: Frame;
}

export interface OpenOptions {
  context?: FrameContext;
  theme?: HostTheme;
  viewport?: { width: number; height: number };
  /** After a successful save, the host opens the saved tab in this context (as Teams opens a new tab). */
  then?: FrameContext;
  /** The tab's entityId in the context (Teams gives it back when a saved tab is reconfigured). */
  entityId?: string;
  /** Runs in every frame before its own scripts (measurements). */
  initScript?: string;
}

/** Everything but the browser: the services a tab talks to, ready for tests to drive. */
export interface TabServices {
  sim: JiraSim;
  entra: EntraEmu;
  bot: TestBot;
  host: TeamsHostEmu;
  /** The Bot Connector emulation: the meeting's roster (everyone who opens or creates a backlog joins it). */
  connector: BotConnector;
  /** Adds the attendee to the meeting's roster, so its backlogs are open to them. */
  seat(who: Attendee): void;
  /** Connects the attendee's Jira account through the bot, as `connect` in the personal chat does (API token or OAuth, per `via`). */
  connect(who: Attendee): Promise<void>;
  /** Creates a backlog of the meeting (DEFAULT_MEETING_CHAT_ID) through the bot's API as `who`, seating them. */
  createBacklog(who: Attendee, name: string, jql: string): Promise<string>;
  /** Jira REST as a demo user, straight to the simulator. */
  jira(user: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface TabStack extends TabServices {
  browser: Browser;
  /** Opens the host page framing `tabPath` (e.g. `/tab/?view=config`) as `who`. */
  open(who: Attendee, tabPath: string, options?: OpenOptions): Promise<OpenTab>;
}

/** Builds tab/dist with Vite, as `npm run build:tab` does. */
export function buildTab(): void {
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', path.resolve(__dirname, '../../vite.config.mts'), '--logLevel', 'warn'], { stdio: 'inherit' });
}

/**
 * Builds tab/dist when it is missing or older than any of its sources, so a test never drives
 * yesterday's tab: npm test builds it first, but a lone mocha run after an edit in tab/src may not.
 */
export function ensureTabBuilt(): void {
  if (tabBuildIsStale(path.dirname(TAB_DIST))) buildTab();
}

export interface TabServicesOptions {
  seed?: SeedName;
  /** The bot gets an OAuth app whose authorization server is the simulator, so attendees can connect `via: 'oauth'`. */
  oauth?: boolean;
}

/**
 * The services of the tab path, real at every hop: Jira simulator (with the bot's admin webhook)
 * -> bot (tab API, static tab, event hub) -> Entra emulation (SSO tokens) -> Teams host emulation.
 */
export async function startTabServices(options: TabServicesOptions = {}): Promise<TabServices> {
  ensureTabBuilt();
  const sim = await startJiraSim({ port: 0, seed: options.seed ?? 'demo', webhookRetry: { attempts: 1, baseDelayMs: 10 } });
  const entra = await startEntraEmu();
  const bot = await startTestBot({
    JIRA_BASE_URL: sim.url,
    JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ALERT_POLL_INTERVAL_SECONDS: '0',
    TAB_SSO_AUDIENCE: AUDIENCE,
    TAB_SSO_JWKS_URL: entra.jwksUrl,
    TAB_SSO_ISSUER: entra.issuerTemplate,
    ...(options.oauth ? oauthAppEnv(sim) : {}),
  });
  const host = await startTeamsHostEmu({ entraUrl: entra.url, audience: AUDIENCE, defaultUser: attendee('Nobody', 999) });
  // The app is in the meeting the host page shows (its chat is the conversation backlogs belong to).
  const connector = await startBotConnector();
  const organizer = attendee('Olivia Organizer', 998);
  await seatMeeting(bot.messagesUrl, connector, DEFAULT_MEETING_CHAT_ID, [organizer]);
  const seat = (who: Attendee) => seatMore(connector, DEFAULT_MEETING_CHAT_ID, [who]);

  const jira = async (user: string, method: string, requestPath: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${requestPath}`, {
      method,
      headers: { authorization: sim.basicAuth(`${user}@example.com`), 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  // What a Jira admin does once: changes made in Jira reach the bot (and open panels) at once.
  const registered = await jira('alice', 'POST', '/rest/webhooks/1.0/webhook', {
    name: 'Jira for Teams',
    url: `${bot.bot.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`,
    events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'],
    secret: WEBHOOK_SECRET,
  });
  assert.ok(registered.status < 300, JSON.stringify(registered.body));

  return {
    sim,
    entra,
    bot,
    host,
    connector,
    seat,
    jira,
    async connect(who) {
      assert.ok(who.jira, `${who.name} has no Jira user`);
      await connectAs({
        connections: bot.bot.connections,
        sim,
        owner: { tenantId: who.tenantId, userId: who.aadObjectId },
        email: `${who.jira}@example.com`,
        via: who.via ?? 'token',
      });
    },
    async createBacklog(who, name, jql) {
      seat(who);
      const token = await entra.issueToken({ tenantId: who.tenantId, aadObjectId: who.aadObjectId, name: who.name, audience: AUDIENCE });
      const response = await fetch(`${bot.bot.url}/api/tab/backlogs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, jql, conversationId: DEFAULT_MEETING_CHAT_ID }),
      });
      const body = (await response.json()) as { backlog?: { id: string } };
      assert.equal(response.status, 201, JSON.stringify(body));
      return body.backlog!.id;
    },
    async close() {
      await host.close();
      await bot.close();
      await connector.close();
      await entra.close();
      await sim.close();
    },
  };
}

/** A browser context as the tests use it: nothing leaves the machine, and an optional init script. */
export async function newTabContext(browser: Browser, options: { viewport?: { width: number; height: number }; initScript?: string } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  // teams-js asks a Microsoft CDN for its origin list at load; nothing else is off loopback either.
  await context.route(
    (url) => !['127.0.0.1', 'localhost'].includes(url.hostname),
    (route) => route.abort(),
  );
  if (options.initScript) await context.addInitScript(options.initScript);
  return context;
}

/** The services and Debian's Chromium: `open` shows a tab in the host page as an attendee. */
export async function startTabStack(options: TabServicesOptions = {}): Promise<TabStack> {
  const services = await startTabServices(options);
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    ...services,
    browser,
    async open(who, tabPath, openOptions = {}) {
      services.seat(who);
      const context = await newTabContext(browser, openOptions);
      contexts.push(context);
      const page = await context.newPage();
      // Fail fast: everything here answers within a second or two.
      page.setDefaultTimeout(8_000);
      const { jira: _jira, via: _via, ...user } = who;
      await page.goto(
        services.host.pageUrl({
          tab: `${services.bot.bot.url}${tabPath}`,
          user,
          context: openOptions.context ?? 'sidePanel',
          theme: openOptions.theme,
          then: openOptions.then,
          entityId: openOptions.entityId,
        }),
      );
      const tab = await waitForTabFrame(page);
      return { page, tab };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await services.close();
    },
  };
}

/** The tab's frame inside the host page, once the host page has set its URL. */
export async function waitForTabFrame(page: Page): Promise<Frame> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().includes('/tab/'));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error('the host page never framed the tab');
    await page.waitForTimeout(20);
  }
}

/** Every key a query finds in the simulator, as Alice, in Jira's order (all pages). */
export async function searchKeys(stack: Pick<TabServices, 'jira'>, jql: string): Promise<string[]> {
  const keys: string[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await stack.jira('alice', 'POST', '/rest/api/3/search/jql', { jql, maxResults: 100, fields: ['id'], ...(nextPageToken ? { nextPageToken } : {}) });
    keys.push(...page.body.issues.map((i: { key: string }) => i.key));
    nextPageToken = page.body.nextPageToken;
  } while (nextPageToken);
  return keys;
}

/**
 * The row of `key`, scrolled into the tab's viewport: the list renders only the rows near the
 * viewport (tab/src/list-window), so a row far down is in the DOM only once the page is scrolled
 * there. Fails when the list has no such row.
 */
export async function revealRow(tab: Frame, key: string): Promise<Locator> {
  const found = await tab.evaluate<boolean>(`(async () => {
    const selector = 'li.row[data-key="' + CSS.escape(${JSON.stringify(key)}) + '"]';
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const rowInMiddle = () => document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2)?.closest('li.row');
    for (let y = 0, atEnd = 0; !document.querySelector(selector) && atEnd < 3; y += window.innerHeight) {
      window.scrollTo(0, y);
      for (let frames = 0; frames < 30 && !rowInMiddle(); frames++) await frame();
      await frame();
      if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1) atEnd++;
    }
    const row = document.querySelector(selector);
    row?.scrollIntoView({ block: 'center' });
    return Boolean(row);
  })()`);
  assert.ok(found, `no row ${key} in the list`);
  return tab.locator(`li.row[data-key="${key}"]`);
}

/**
 * Keys of all the list's rows, top to bottom. The list renders only the rows near the viewport
 * (tab/src/list-window), each saying its place (`aria-posinset` of `aria-setsize`): when some are
 * not rendered, this scrolls the tab's page through the list, a viewport at a time, and back.
 */
export async function rowKeys(tab: Frame): Promise<string[]> {
  // A string: the tests are compiled without the DOM's types, and tsx would add helpers the page lacks.
  return tab.evaluate<string[]>(`(async () => {
    const keys = [];
    // The list's size as it says now: a page loaded meanwhile (the list fetches more as it goes) grows it.
    let size = 0;
    const read = () => {
      for (const row of document.querySelectorAll('li.row')) keys[Number(row.getAttribute('aria-posinset')) - 1] = row.dataset.key;
      size = Math.max(size, Number(document.querySelector('li.row')?.getAttribute('aria-setsize') ?? 0));
    };
    read();
    const complete = () => keys.length === size && !keys.includes(undefined);
    if (complete()) return keys;
    const start = window.scrollY;
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    // A viewport at a time; after each scroll, until the rows there are rendered (a row, not the spacer, mid-viewport).
    const rowInMiddle = () => document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2)?.closest('li.row');
    // Rows measured on the way change the page's height: go on until the end is reached a few times.
    for (let y = 0, atEnd = 0; !complete() && atEnd < 3; y += window.innerHeight) {
      window.scrollTo(0, y);
      for (let frames = 0; frames < 30 && !rowInMiddle(); frames++) await frame();
      await frame();
      read();
      if (window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1) atEnd++;
    }
    window.scrollTo(0, start);
    await frame();
    return complete() ? keys : Promise.reject(new Error('rowKeys: ' + keys.filter(Boolean).length + ' of ' + size + ' rows seen'));
  })()`);
}
