import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TENANT_ID, installationUpdateAdd, postActivity, sendRate, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { alertOutbox } from '../../src/alerts/alert-outbox';
import type { AlertSender } from '../../src/alerts/alert-sender';
import { alertThreads } from '../../src/alerts/alert-threads';
import { startDeliveryWorker, type DeliveryWorker } from '../../src/alerts/delivery-worker';
import { sendLimits, type SendLimits } from '../../src/alerts/send-limits';
import { redisSendLimits } from '../../src/cluster/redis-send-limits';
import type { WindowLimit } from '../../src/cluster/redis-window-limiter';
import { conversationReferences } from '../../src/conversations/conversation-references';
import { systemClock, type Clock } from '../../src/jira/clock';
import { createLogger } from '../../src/log/create-logger';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { adapterAlertSender } from '../../src/teams/alerts/adapter-alert-sender';
import { issueEvent } from '../alerts/issue-event-builder';
import { ManualClock } from '../support/manual-clock';
import { useRedisServer } from '../support/redis-server';
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
 * Real time whose sleeps stop ending once `stall()` is called (they still end when aborted): the
 * instance's timers no longer fire, as in a process that hangs or is dying, while a send it has on
 * the wire goes on. Its outbox leases then lapse and another instance takes its conversations over.
 */
function stallableClock(): Clock & { stall(): void } {
  let stalled = false;
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      stalled
        ? new Promise<void>((_resolve, reject) => {
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's reason passes through, as systemClock does
            signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          })
        : systemClock.sleep(ms, signal),
    stall() {
      stalled = true;
    },
  };
}

/**
 * Teams' limits across instances that take turns on a conversation; two delivery workers on one
 * SQLite file, as two instances on one store, sending through the Bot Connector emulation.
 *
 * Teams answers 429 without a Retry-After and asks for backoff (learn.microsoft.com, "Optimize your
 * bot with rate limiting in Teams"). The backoff is kept on the conversation's rows in the shared
 * store, not in one instance's memory: an instance that takes the conversation over, started after
 * the 429, waits it out as the first would have.
 *
 * Teams' per-conversation windows (7 per second, 8 per 2 s, 60 per 30 s, 1,800 per hour, same page)
 * are kept in Redis in cluster mode: an instance that takes over a conversation while the previous
 * owner's send is still on the wire counts that send, which the store cannot know of yet.
 */
describe('Teams limits kept across instances that take turns on a conversation', function () {
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
  // After the hook above (mocha runs after-hooks in the order given): the workers stop before Redis does.
  const redis = useRedisServer();

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

  it("keeps a conversation within Teams' windows when another instance takes it over while a send is still on the wire (windows in Redis)", async () => {
    // Two sends per 3 s (and a long window in sub-windows), short enough that the takeover happens inside one window.
    const windows: WindowLimit[] = [
      { windowMs: 3_000, max: 2 },
      { windowMs: 60_000, max: 10, subWindows: 6 },
    ];
    const channel = '19:taken-over@thread.tacv2';
    const installed = await postActivity(
      testBot.messagesUrl,
      installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'channel', conversationId: channel, teamId: '19:team-2@thread.tacv2' }),
    );
    assert.ok(installed.status < 300);
    const seed = openSqliteStore(file);
    stores.push(seed);
    const outbox = alertOutbox(seed);
    const events = [issueEvent(), issueEvent(), issueEvent()];
    for (const event of events) await outbox.enqueue(event, [{ target: { tenantId: DEFAULT_TENANT_ID, conversationId: channel }, subscriptionIds: ['s1'] }]);
    /** Messages the channel accepted that carry one of these alerts. */
    const alerts = () => connector.activities(channel).filter((call) => call.status < 300 && events.some((e) => JSON.stringify(call.body).includes(e.issue.key)));

    /** One instance: its own store handle, Redis connection and limits, as a process of its own. */
    const instance = async (name: string, clock: Clock, sender: AlertSender, spy: (limits: SendLimits) => SendLimits = (l) => l) => {
      const store = openSqliteStore(file);
      stores.push(store);
      const limits = redisSendLimits({
        redis: await redis.client(name),
        local: sendLimits({ clock, conversationLimits: windows }),
        clock,
        logger: createLogger({ level: 'silent' }),
        conversationLimits: windows,
      });
      const worker = startDeliveryWorker({
        outbox: alertOutbox(store, { now: () => clock.now() }),
        threads: alertThreads(store),
        sender,
        logger: createLogger({ level: 'silent' }),
        clock,
        workerId: name,
        digestThreshold: Infinity,
        gatherMs: 0,
        leaseMs: 1_200,
        limits: spy(limits),
      });
      workers.push(worker);
      return worker;
    };
    const sender = adapterAlertSender({ adapter: testBot.bot.teams.adapter, conversations: conversationReferences(testBot.bot.store) });

    // A sends the first alert; its second send is held on the wire, and then A stalls.
    let entered!: () => void;
    const onTheWire = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let posts = 0;
    const held: AlertSender = {
      ...sender,
      async post(target, card) {
        posts += 1;
        if (posts === 2) {
          entered();
          await released;
        }
        return sender.post(target, card);
      },
    };
    const aClock = stallableClock();
    const a = await instance('instance-a', aClock, held);
    a.wake([channel]);
    await onTheWire;
    aClock.stall();
    assert.equal(alerts().length, 1, "A's first alert reached the channel");

    // B takes the conversation over once A's lease lapses, and asks for a slot in the windows.
    let asked!: () => void;
    const bAsked = new Promise<void>((resolve) => (asked = resolve));
    const b = await instance('instance-b', systemClock, sender, (limits) => ({
      ...limits,
      conversationDelay(conversationId) {
        asked();
        return limits.conversationDelay(conversationId);
      },
    }));
    b.wake([channel]);
    await bAsked;
    // A's held send now reaches Teams, after B took over: Teams counts it, and so must B.
    release();
    await until(async () => (await outbox.pending(channel)).length === 0, 'every alert delivered and recorded', 20_000);
    // The alerts' sends as Teams saw them arrive (the install's welcome message is the bot's, not the worker's).
    const rate = sendRate(
      alerts().map((call) => call.time),
      windows,
    );
    assert.ok(rate.withinLimits, `Teams' windows exceeded in the channel: ${JSON.stringify(rate.windows)}`);
    assert.equal(connector.calls.filter((call) => call.conversationId === channel && call.status === 429).length, 0, 'no send was refused');
    for (const event of events)
      assert.ok(
        alerts().some((call) => JSON.stringify(call.body).includes(event.issue.key)),
        `${event.issue.key} reached the channel`,
      );
    // At most the one send in flight at the takeover went twice.
    assert.ok(alerts().length <= events.length + 1, `${alerts().length} messages for ${events.length} alerts`);
  });
});
