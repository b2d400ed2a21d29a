import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CHANNEL_ID, DEFAULT_TENANT_ID, TEAMS_USER, conversationUpdateBotAdded, postActivity, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { SENT_TABLE, type OutboxEntry } from '../../src/alerts/alert-outbox';
import { WebhookHealthState, webhookHealthState } from '../../src/alerts/webhook-health';
import { webhookJqlFilter } from '../../src/alerts/webhook-registrar';
import { readConfig } from '../../src/config';
import type { ConnectionOwner } from '../../src/connections/connection';
import { createLogger } from '../../src/log/create-logger';
import { startBot, type BotService } from '../../src/start-bot';
import { captureLogs } from '../support/capture-logs';
import { ManualClock } from '../support/manual-clock';
import { subscription } from './subscription-builder';

const CLIENT = { id: 'private-app', secret: 'private-app-secret' };
const INTERVAL_MS = 10_000;
const ALICE = { tenantId: DEFAULT_TENANT_ID, userId: 'a11ce000-0000-4000-8000-000000000001', accountId: '712020:00000000-0000-4000-8000-000000000001' };
const BOB = { tenantId: DEFAULT_TENANT_ID, userId: '0b0b0b0b-0000-4000-8000-000000000002', accountId: '712020:00000000-0000-4000-8000-000000000002' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits for something to become true (a positive event), or fails after `timeoutMs` of real time. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Issue #17 defect 7 through the assembled service: a private (non-public) OAuth app, whose dynamic
 * webhooks Jira delivers only when the app's owner (Alice) registered them. Once Bob's subscription
 * makes him the site's newest subscription owner, the registrar registers through him and Jira
 * never calls; before, the poller left such a site alone for an hour after its last webhook. Now the
 * poller covers it within one interval, and the registrar moves the registration to Alice. The
 * bot and the simulator share one hand-driven clock, so "within one poll interval" is the bot's time.
 */
describe('webhook health of a private OAuth app in the assembled service', () => {
  let clock: ManualClock;
  let sim: JiraSim;
  let connector: BotConnector;
  let bot: BotService;
  let logs: ReturnType<typeof captureLogs>;
  let dataDir: string;

  const passes = () => logs.lines().filter((line) => line.msg === 'poller pass finished').length;
  /** One poll interval of the bot's time, then the poller pass it wakes (real time only for its I/O). */
  const tick = async () => {
    const before = passes();
    await clock.advance(INTERVAL_MS);
    await until('a poller pass', () => passes() > before);
  };
  const health = async () => bot.alerts.alerts.health.read(sim.url);
  const state = async () => {
    const subs = (await bot.alerts.alerts.repository.forSite(sim.url)).filter((s) => !s.muted);
    return webhookHealthState(await health(), { now: clock.now(), quietMs: 60 * 60_000, wantedFilter: webhookJqlFilter(subs) });
  };
  /** The alert about `key` in the channel's outbox (pending or sent), with the bot's time it was queued. */
  const routed = async (key: string): Promise<OutboxEntry | undefined> => {
    const rows = (await bot.alerts.alerts.outbox.pending(CHANNEL_ID)).map((row) => row.entry);
    rows.push(...(await bot.store.list<OutboxEntry>(SENT_TABLE)).map((item) => item.value));
    return rows.find((entry) => entry.target.conversationId === CHANNEL_ID && entry.event.issue.key === key);
  };
  const edit = async (user: string, key: string, summary: string) => {
    const response = await fetch(`${sim.url}/rest/api/3/issue/${key}`, {
      method: 'PUT',
      headers: { authorization: sim.basicAuth(`${user}@example.com`), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { summary } }),
    });
    assert.equal(response.status, 204, await response.text());
    return clock.now();
  };
  /** Consents at the simulator's authorization server as `who` and stores the OAuth connection. */
  const connect = async (who: ConnectionOwner & { accountId: string }) => {
    const oauth = bot.connections.oauth!;
    const authorize = new URL(await oauth.flow.start(who, CHANNEL_ID));
    authorize.searchParams.set('account_id', who.accountId);
    const consent = await fetch(authorize, { redirect: 'manual' });
    const pending = await oauth.flow.complete(Object.fromEntries(new URL(consent.headers.get('location')!).searchParams));
    if (pending.kind !== 'awaitingCode') assert.fail(`expected a code, got ${pending.kind}`);
    assert.equal((await oauth.flow.confirm(who, pending.code)).kind, 'connected');
  };
  let savedAt = 0;
  const subscribe = async (owner: ConnectionOwner, projects: string[]) => {
    // Saved as the subscribe dialog saves it (its permission checks have their own tests); the newest owner acts for the site.
    // Saved after the last one, though the bot's clock may not have moved in between.
    savedAt = Math.max(clock.now(), savedAt + 1);
    const at = new Date(savedAt).toISOString();
    await bot.alerts.alerts.repository.save(
      subscription({ site: sim.url, projects, target: { tenantId: owner.tenantId, conversationId: CHANNEL_ID }, changedBy: owner.userId, createdAt: at, updatedAt: at }),
    );
  };

  let port: number;
  let config: ReturnType<typeof readConfig>;
  const startService = async () => {
    logs = captureLogs();
    // Dynamic webhooks need a public https URL Jira can reach; the simulator reaches the loopback one.
    bot = await startBot({ ...config, alerts: { ...config.alerts, dynamicWebhooks: true } }, { logger: createLogger({ level: 'debug', destination: logs.stream }), clock });
  };

  before(async () => {
    clock = new ManualClock(Date.now());
    port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    // The app's owner is the first site admin, Alice: only her registrations are delivered.
    sim = await startJiraSim({ port: 0, now: () => clock.now(), realism: { privateAppOwnerOnly: true }, webhookRetry: { attempts: 1, baseDelayMs: 10 } });
    sim.oauth.registerClient({ clientId: CLIENT.id, clientSecret: CLIENT.secret, redirectUris: [`${publicUrl}/auth/atlassian/callback`] });
    connector = await startBotConnector();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-private-app-'));
    config = readConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
      JIRA_ALLOWED_SITES: 'http://127.0.0.1:*',
      PUBLIC_URL: publicUrl,
      JIRA_BASE_URL: sim.url,
      GRAPH_BASE_URL: connector.graphUrl,
      ATLASSIAN_CLIENT_ID: CLIENT.id,
      ATLASSIAN_CLIENT_SECRET: CLIENT.secret,
      ATLASSIAN_AUTH_URL: sim.url,
      ATLASSIAN_API_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    });
    await startService();
    await postActivity(
      `${bot.url}/api/messages`,
      conversationUpdateBotAdded({ serviceUrl: connector.url, conversationType: 'channel', conversationId: CHANNEL_ID, from: TEAMS_USER }),
    );
    await connect(ALICE);
    await connect(BOB);
    await subscribe(ALICE, ['PHX']);
    // A restart, as after a deployment: the registrar's first pass registers through Alice, the site's only subscription owner.
    await bot.close();
    await startService();
  });
  after(async () => {
    await bot?.close();
    await connector?.close();
    await sim?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("trusts a site once a webhook arrives through Alice's registration", async () => {
    await until('a registration through Alice', async () => (await health())?.registration?.through === ALICE.accountId);
    await edit('carol', 'PHX-2', 'Seen through the webhook');
    await until('the PHX-2 alert', async () => (await routed('PHX-2')) !== undefined);
    await until('a healthy site', async () => (await state()) === WebhookHealthState.Healthy);
  });

  it("covers a newly subscribed project within one poll interval, though the site's last webhook is seconds old", async () => {
    await subscribe(BOB, ['KAN']);
    const changedAt = await edit('bob', 'KAN-2', 'Not in any webhook filter yet');
    await tick();
    await until('the KAN-2 alert', async () => (await routed('KAN-2')) !== undefined);
    assert.ok((await routed('KAN-2'))!.enqueuedAt - changedAt <= INTERVAL_MS, 'queued within one interval of the change, by the bot clock');
  });

  it("polls at once when the webhook is registered through Bob, whom the private app's Jira never calls, and calls the site silent", async () => {
    // Bob saved the newest subscription: the registrar now acts as him and registers a filter covering both projects.
    for (let i = 0; i < 8 && (await health())?.registration?.through !== BOB.accountId; i += 1) await tick();
    const registration = (await health())?.registration;
    assert.equal(registration?.through, BOB.accountId);
    assert.equal(registration?.jqlFilter, 'project in ("KAN", "PHX")');
    assert.ok(
      sim.webhooks.deliveries().every((d) => !registration.webhookIds.some((id) => d.webhookIds.includes(id))),
      'Jira never calls through Bob',
    );

    const changedAt = await edit('carol', 'KAN-3', 'Only the poller sees this');
    await tick();
    await until('the KAN-3 alert', async () => (await routed('KAN-3')) !== undefined);
    assert.ok((await routed('KAN-3'))!.enqueuedAt - changedAt <= INTERVAL_MS, 'queued within one interval of the change, by the bot clock');
    assert.equal(await state(), WebhookHealthState.Silent);
    assert.ok(((await health())?.missed?.changes ?? 0) >= 1);
  });

  it("registers through Alice instead once Bob's registration proved silent, and trusts the site when her webhook arrives", async () => {
    // Within a minute the registrar passes over Bob and registers through the next subscription owner, Alice, the app's owner.
    for (let i = 0; i < 8 && (await health())?.registration?.through !== ALICE.accountId; i += 1) await tick();
    assert.equal((await health())?.registration?.through, ALICE.accountId);
    assert.equal((await health())?.registration?.jqlFilter, 'project in ("KAN", "PHX")');
    assert.deepEqual((await health())?.undeliveredThrough, [BOB.accountId]);
    await edit('carol', 'KAN-4', 'Delivered through Alice');
    await until('a healthy site', async () => (await state()) === WebhookHealthState.Healthy);
    await until('the KAN-4 alert', async () => (await routed('KAN-4')) !== undefined);
    assert.equal((await routed('KAN-4'))!.event.source, 'webhook');
  });
});
