import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TENANT_ID, installationUpdateAdd, postActivity, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { alertOutbox } from '../../src/alerts/alert-outbox';
import { alertThreads } from '../../src/alerts/alert-threads';
import { startDeliveryWorker, type DeliveryWorker } from '../../src/alerts/delivery-worker';
import { conversationReferences } from '../../src/conversations/conversation-references';
import { createLogger } from '../../src/log/create-logger';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { adapterAlertSender } from '../../src/teams/alerts/adapter-alert-sender';
import { issueEvent } from '../alerts/issue-event-builder';
import { ManualClock } from '../support/manual-clock';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const CHANNEL = '19:throttled@thread.tacv2';
const BACKOFF = { baseMs: 8_000, capMs: 60_000 };

/** Polls a condition on real time until it holds (a positive event), failing with `what` after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Teams answers 429 without a Retry-After and asks for backoff (learn.microsoft.com, "Optimize your
 * bot with rate limiting in Teams"). The backoff is kept on the conversation's rows in the shared
 * store, not in one instance's memory: an instance that takes the conversation over, started after
 * the 429, waits it out as the first would have. Two delivery workers on one SQLite file, as two
 * instances on one store; sends go through the Bot Connector emulation.
 */
describe("Teams' 429 backoff kept for the next instance that owns the conversation", function () {
  this.timeout(60_000);
  let connector: BotConnector;
  let testBot: TestBot;
  let file: string;
  const stores: Store[] = [];
  const workers: DeliveryWorker[] = [];

  before(async () => {
    connector = await startBotConnector();
    testBot = await startTestBot();
    const response = await postActivity(
      testBot.messagesUrl,
      installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'channel', conversationId: CHANNEL, teamId: '19:team@thread.tacv2' }),
    );
    assert.ok(response.status < 300);
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-throttle-')), 'store.db');
  });
  after(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    for (const store of stores.splice(0)) await store.close();
    await testBot?.close();
    await connector?.close();
  });

  /** One instance's delivery worker on its own handle of the shared store. */
  const instance = (name: string, clock: ManualClock) => {
    const store = openSqliteStore(file);
    stores.push(store);
    const worker = startDeliveryWorker({
      outbox: alertOutbox(store, { now: () => clock.now() }),
      threads: alertThreads(store),
      sender: adapterAlertSender({ adapter: testBot.bot.teams.adapter, conversations: conversationReferences(store) }),
      logger: createLogger({ level: 'silent' }),
      clock,
      random: () => 0.5,
      workerId: name,
      digestThreshold: Infinity,
      gatherMs: 0,
      backoff: BACKOFF,
    });
    workers.push(worker);
    return { store, worker };
  };

  it('an instance started after the 429 sends no sooner than the backoff the first one stored', async () => {
    const clock = new ManualClock();
    const seed = openSqliteStore(file);
    stores.push(seed);
    const record = await conversationReferences(testBot.bot.store).get(DEFAULT_TENANT_ID, CHANNEL);
    assert.ok(record, 'the server stored the conversation at install');
    await conversationReferences(seed).save(record);
    const outbox = alertOutbox(seed, { now: () => clock.now() });
    const event = issueEvent();
    /** Messages the channel accepted that carry this alert (a refused send is not recorded; the install's welcome is another message). */
    const alerts = () => connector.activities(CHANNEL).filter((call) => call.status < 300 && JSON.stringify(call.body).includes(event.issue.key));
    await outbox.enqueue(event, [{ target: { tenantId: DEFAULT_TENANT_ID, conversationId: CHANNEL }, subscriptionIds: ['s1'] }]);

    // Instance A's send is refused with 429; it backs the row off and stops (a deployment moves on).
    connector.failNext(1, 429);
    const a = instance('instance-a', clock);
    a.worker.wake([CHANNEL]);
    await until(async () => (await outbox.pending(CHANNEL))[0]?.entry.attempts === 1, "A's 429 recorded on the row");
    const [row] = await outbox.pending(CHANNEL);
    const waitMs = row.entry.notBefore - clock.now();
    // Full jitter over the upper half of the first step: 0.75 x 8 s with random() = 0.5.
    assert.equal(waitMs, 6_000);
    await a.worker.stop();
    workers.splice(workers.indexOf(a.worker), 1);
    assert.equal(row.entry.lastError?.code, 'TEAMS_429');
    assert.equal(alerts().length, 0, 'nothing reached the channel yet');

    // Instance B starts after the 429 and takes the conversation over: it waits for the stored backoff.
    const b = instance('instance-b', clock);
    b.worker.wake([CHANNEL]);
    await until(() => clock.pending().includes(waitMs), 'B waiting for the end of the backoff');
    await clock.advance(waitMs - 1);
    assert.equal(alerts().length, 0, 'B sends nothing a millisecond before the backoff ends');
    assert.ok(clock.pending().includes(1), 'B still waits for the last millisecond');
    await clock.advance(1);
    await connector.waitFor(() => alerts().length === 1, { timeoutMs: 20_000 });
    await until(async () => (await outbox.pending(CHANNEL)).length === 0, 'the row delivered and recorded');
  });
});
