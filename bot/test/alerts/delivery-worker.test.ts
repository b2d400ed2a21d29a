import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TENANT_ID, installationUpdateAdd, postActivity, startBotConnector, type BotConnector, type RecordedCall } from '../../../dev/bot-connector-emu/src';
import { alertOutbox, SENT_TABLE, type AlertOutbox, type AlertTarget, type OutboxEntry } from '../../src/alerts/alert-outbox';
import { adapterAlertSender } from '../../src/teams/alerts/adapter-alert-sender';
import { alertThreads } from '../../src/alerts/alert-threads';
import { startDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from '../../src/alerts/delivery-worker';
import { conversationReferences } from '../../src/conversations/conversation-references';
import { createLogger } from '../../src/log/create-logger';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { ManualClock } from '../support/manual-clock';
import { startTestBot, type TestBot } from '../support/start-test-bot';
import { assertValidCard, cardText } from '../support/validate-card';
import { issueEvent } from './issue-event-builder';

const silent = createLogger({ level: (process.env.TEST_LOG_LEVEL as 'silent') ?? 'silent' });

describe('alert delivery through the Bot Connector emulation', function () {
  // Real Teams ceilings apply (8 sends per 2 s per conversation), so deliveries take seconds.
  this.timeout(60_000);

  let connector: BotConnector;
  let testBot: TestBot;
  const channels = ['19:alerts-a@thread.tacv2', '19:alerts-b@thread.tacv2', '19:alerts-c@thread.tacv2'];
  const target = (conversationId: string): AlertTarget => ({ tenantId: DEFAULT_TENANT_ID, conversationId });

  let dir: string;
  let store: Store;
  let outbox: AlertOutbox;
  const workers: DeliveryWorker[] = [];

  const startWorker = (overrides: Partial<DeliveryWorkerOptions> = {}, on: Store = store) => {
    const worker = startDeliveryWorker({
      outbox: overrides.outbox ?? outbox,
      threads: alertThreads(on),
      sender: adapterAlertSender({ adapter: testBot.bot.teams.adapter, conversations: conversationReferences(on) }),
      logger: silent,
      digestThreshold: Infinity,
      gatherMs: 0,
      backoff: { baseMs: 100, capMs: 1_000 },
      ...overrides,
    });
    workers.push(worker);
    return worker;
  };

  /** The issue key each accepted message or update shows. */
  const keysIn = (calls: readonly RecordedCall[]) => calls.map((call) => /\b(ALERT-\d+)\b/.exec(cardText(call.body.attachments?.[0]?.content ?? {}))?.[1] ?? '?');

  before(async () => {
    connector = await startBotConnector();
    testBot = await startTestBot();
    for (const conversationId of channels) {
      const response = await postActivity(
        testBot.messagesUrl,
        installationUpdateAdd({ serviceUrl: connector.url, conversationType: 'channel', conversationId, teamId: '19:team@thread.tacv2' }),
      );
      assert.ok(response.status < 300);
    }
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-alerts-'));
    store = openSqliteStore(path.join(dir, 'store.db'));
    // The worker's store holds the references the real server stored at install.
    const references = conversationReferences(store);
    for (const conversationId of channels) {
      const record = await conversationReferences(testBot.bot.store).get(DEFAULT_TENANT_ID, conversationId);
      assert.ok(record, 'the server stored the conversation at install');
      await references.save(record);
    }
    outbox = alertOutbox(store);
    connector.clear();
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  after(async () => {
    await testBot?.close();
    await connector?.close();
  });

  it('delivers every enqueued event once, within Teams limits, however often it is enqueued', async () => {
    const events = channels.flatMap((conversationId) => Array.from({ length: 4 }, () => ({ event: issueEvent(), conversationId })));
    for (const { event, conversationId } of events) {
      await outbox.enqueue(event, [{ target: target(conversationId), subscriptionIds: ['s1'] }]);
      // A webhook retry or a crashed fan-out enqueues the same event again.
      await outbox.enqueue(event, [{ target: target(conversationId), subscriptionIds: ['s1'] }]);
    }
    startWorker();

    const sent = await connector.waitForActivities(events.length, { timeoutMs: 20_000 });
    await waitUntil(async () => (await Promise.all(channels.map((c) => outbox.pending(c)))).every((rows) => rows.length === 0));

    assert.deepEqual(keysIn(sent).sort(), events.map((e) => e.event.issue.key).sort());
    for (const conversationId of channels) {
      assert.deepEqual(
        keysIn(connector.activities(conversationId)),
        events.filter((e) => e.conversationId === conversationId).map((e) => e.event.issue.key),
        'in order',
      );
      assert.ok(connector.sendRate(conversationId).withinLimits, 'no Teams ceiling broken');
    }
    assertValidCard(sent[0].body.attachments[0].content);
    assert.match(cardText(sent[0].body.attachments[0].content), /To Do → In Progress/);
  });

  it('backs off exponentially while Teams answers 429, holding the rows behind, and still delivers everything once', async () => {
    // The worker's and the outbox's time is a manual clock: each retry can only happen once the
    // test moves time past the backoff the worker wrote, so the attempts are counted exactly.
    const clock = new ManualClock(Date.now());
    outbox = alertOutbox(store, { now: () => clock.now() });
    const events = Array.from({ length: 5 }, () => issueEvent());
    connector.failNext(3, 429);
    for (const event of events) await outbox.enqueue(event, [{ target: target(channels[0]), subscriptionIds: ['s1'] }]);
    startWorker({ clock, random: () => 0, backoff: { baseMs: 1_000, capMs: 60_000 } });

    const backoffs: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await waitUntil(async () => (await outbox.pending(channels[0]))[0]?.entry.attempts === attempt);
      const [head, ...behind] = await outbox.pending(channels[0]);
      assert.equal(head.entry.lastError?.code, 'TEAMS_429');
      assert.ok(
        behind.every((row) => row.entry.attempts === 0),
        'the rows behind wait for the head of the line',
      );
      backoffs.push(head.entry.notBefore - head.entry.lastError.at);
      assert.equal(connector.calls.filter((c) => c.status === 429).length, attempt, 'no retry before the backoff ran out');
      await clock.advance(head.entry.notBefore - clock.now());
    }
    // Half of base * 2^attempt at the least (the jitter adds up to as much again).
    assert.deepEqual(backoffs, [500, 1_000, 2_000]);

    const sent = await connector.waitForActivities(events.length, { conversationId: channels[0], timeoutMs: 30_000 });
    await waitUntil(async () => (await outbox.pending(channels[0])).length === 0);
    assert.equal(connector.calls.filter((c) => c.status === 429).length, 3);
    assert.deepEqual(
      keysIn(sent),
      events.map((e) => e.issue.key),
    );
    assert.deepEqual(await store.list('alert-outbox'), [], 'sent rows leave the outbox');
    const rows = await store.list<{ attempts: number; state: string }>('alert-outbox-sent');
    assert.equal(rows.length, events.length);
    assert.ok(rows.every((r) => r.value.state === 'sent'));
    assert.equal(rows[0].value.attempts, 3, 'the first row remembers its failed attempts');
  });

  it('loses and duplicates nothing when stopped mid-delivery and restarted on the same file', async () => {
    const events = channels.slice(0, 2).flatMap((conversationId) => Array.from({ length: 10 }, () => ({ event: issueEvent(), conversationId })));
    for (const { event, conversationId } of events) await outbox.enqueue(event, [{ target: target(conversationId), subscriptionIds: ['s1'] }]);

    const first = startWorker();
    await connector.waitForActivities(5, { timeoutMs: 20_000 });
    await first.stop();
    const deliveredBefore = connector.activities().length;
    assert.ok(deliveredBefore < events.length, 'stopped mid-delivery');
    await store.close();

    // A new process: a new store handle on the same file, a new worker id.
    store = openSqliteStore(path.join(dir, 'store.db'));
    outbox = alertOutbox(store);
    startWorker({}, store);

    const sent = await connector.waitForActivities(events.length, { timeoutMs: 30_000 });
    await waitUntil(async () => (await Promise.all(channels.map((c) => outbox.pending(c)))).every((rows) => rows.length === 0));
    assert.equal(connector.activities().length, events.length, 'nothing sent twice');
    assert.deepEqual(keysIn(sent).sort(), events.map((e) => e.event.issue.key).sort(), 'nothing lost');
    for (const conversationId of channels) assert.ok(connector.sendRate(conversationId).withinLimits);
  });

  it('takes over a conversation whose worker died owning it, once its lease expires, and sends the rows it was sending', async () => {
    const events = Array.from({ length: 3 }, () => issueEvent());
    for (const event of events) await outbox.enqueue(event, [{ target: target(channels[1]), subscriptionIds: ['s1'] }]);
    // A worker took the conversation, marked the rows as sending and crashed before sending.
    assert.ok(await outbox.owners('dead-worker', 300).take(channels[1]));
    for (const row of await outbox.pending(channels[1])) assert.ok(await outbox.claim(row, 'dead-worker'));

    startWorker();
    const sent = await connector.waitForActivities(3, { conversationId: channels[1], timeoutMs: 20_000 });
    await waitUntil(async () => (await outbox.pending(channels[1])).length === 0);
    assert.deepEqual(
      keysIn(sent),
      events.map((e) => e.issue.key),
    );
  });

  it('updates the card already posted for an issue instead of posting again', async () => {
    const first = issueEvent({ key: 'ALERT-900', issueId: '900' });
    const second = issueEvent({
      key: 'ALERT-900',
      issueId: '900',
      kinds: ['priorityChanged'],
      changes: [{ field: 'priority', from: 'High', to: 'Highest' }],
    });
    await outbox.enqueue(first, [{ target: target(channels[2]), subscriptionIds: ['s1'] }]);
    startWorker();
    const [posted] = await connector.waitForActivities(1, { conversationId: channels[2] });
    await waitUntil(async () => (await outbox.pending(channels[2])).length === 0);

    await outbox.enqueue(second, [{ target: target(channels[2]), subscriptionIds: ['s1'] }]);
    await connector.waitFor(() => connector.updates(channels[2]).length === 1);

    assert.equal(connector.activities(channels[2]).length, 1, 'no second post');
    const card = connector.message((posted.response as { id: string }).id).attachments[0].content;
    assertValidCard(card);
    assert.match(cardText(card), /High → Highest/);
    assert.match(cardText(card), /Earlier changes/);
  });

  it('puts new comments into the thread of the issue card when two-way threads are on', async () => {
    const created = issueEvent({ key: 'ALERT-950', issueId: '950', kinds: ['created'], changes: [] });
    const comment = (id: string, excerpt: string) => issueEvent({ key: 'ALERT-950', issueId: '950', kinds: ['commented'], changes: [], comment: { id, excerpt } });
    const route = { target: target(channels[0]), subscriptionIds: ['s1'], threaded: true };
    const threads = alertThreads(store);
    startWorker();
    await outbox.enqueue(created, [route]);
    const [root] = await connector.waitForActivities(1, { conversationId: channels[0] });
    const rootId = (root.response as { id: string }).id;
    await waitUntil(async () => (await threads.byRoot(channels[0], rootId)) !== undefined);

    await threads.rememberOwnComment(channels[0], 'c-own');
    await outbox.enqueue(comment('c-own', 'Written from Teams'), [route]);
    await outbox.enqueue(comment('c-1', 'Written in Jira'), [route]);
    await connector.waitForActivities(2, { conversationId: channels[0] });
    await waitUntil(async () => (await outbox.pending(channels[0])).length === 0);

    const replies = connector.activities(channels[0]).slice(1);
    assert.equal(replies.length, 1, 'the comment made from Teams is not echoed');
    assert.equal(replies[0].conversationId, `${channels[0]};messageid=${rootId}`);
    assert.match(cardText(replies[0].body.attachments[0].content), /Written in Jira/);
    assert.equal(connector.updates(channels[0]).length, 0);
  });

  it('folds a bulk change into one digest card', async () => {
    const events = Array.from({ length: 15 }, () => issueEvent());
    for (const event of events) await outbox.enqueue(event, [{ target: target(channels[0]), subscriptionIds: ['s1'] }]);
    startWorker({ digestThreshold: 10 });

    const [digest] = await connector.waitForActivities(1, { conversationId: channels[0] });
    await waitUntil(async () => (await outbox.pending(channels[0])).length === 0);
    assert.equal(connector.activities(channels[0]).length, 1);
    const card = digest.body.attachments[0].content;
    assertValidCard(card);
    assert.match(cardText(card), /15 issues changed by Ada Lovelace/);
    for (const event of events) assert.ok(cardText(card).includes(event.issue.key));
  });

  it('holds alerts once a conversation gets many in a minute, and sends the rest as one digest', async () => {
    // Time is a manual clock (the worker's and the outbox's), so when each row was enqueued and
    // when the worker looks are the test's choice, not the machine's load.
    const clock = new ManualClock(Date.now());
    outbox = alertOutbox(store, { now: () => clock.now() });
    startWorker({ clock, digestThreshold: 5, gatherMs: 1_000, burstQuietMs: 1_200 });
    const enqueue = (event: ReturnType<typeof issueEvent>) => outbox.enqueue(event, [{ target: target(channels[1]), subscriptionIds: ['s1'] }]);
    const first = Array.from({ length: 3 }, () => issueEvent());
    for (const event of first) await enqueue(event);
    await clock.advance(1_000);
    await connector.waitForActivities(3, { conversationId: channels[1] });
    await waitUntil(async () => (await outbox.pending(channels[1])).length === 0);

    // A bulk change: two rows, then four more 10 ms later. When the first two have gathered, the
    // conversation is in a burst (3 sent + 6 waiting >= 5): the worker holds them until the
    // burst has been quiet for 1.2 s after its newest row.
    const bulk = Array.from({ length: 6 }, () => issueEvent());
    const startedAt = clock.now();
    for (const event of bulk.slice(0, 2)) await enqueue(event);
    await clock.advance(10);
    for (const event of bulk.slice(2)) await enqueue(event);
    const quietAt = startedAt + 10 + 1_200;
    await clock.advance(990);
    await waitUntil(async () => clock.pending().includes(quietAt - clock.now()));
    await clock.advance(quietAt - clock.now());
    const sent = await connector.waitForActivities(4, { conversationId: channels[1] });
    await waitUntil(async () => (await outbox.pending(channels[1])).length === 0);

    assert.equal(connector.activities(channels[1]).length, 4, 'three alerts, then one digest');
    assert.deepEqual(
      keysIn(sent.slice(0, 3)),
      first.map((e) => e.issue.key),
    );
    const digest = cardText(sent[3].body.attachments[0].content);
    assert.match(digest, /6 issues changed/);
    for (const event of bulk) assert.ok(digest.includes(event.issue.key));
    const records = (await store.list<OutboxEntry>(SENT_TABLE)).map((item) => item.value).filter((entry) => entry.sent?.mode === 'digest');
    assert.equal(records.length, 6);
    assert.ok(
      records.every((entry) => entry.sent!.at >= quietAt),
      'held until the burst went quiet',
    );
  });

  it('parks a message Teams refuses for good, keeping the reason', async () => {
    connector.failNext(1, 403);
    const event = issueEvent();
    await outbox.enqueue(event, [{ target: target(channels[1]), subscriptionIds: ['s1'] }]);
    startWorker();
    await waitUntil(async () => (await outbox.parked(channels[1])).length === 1);
    const [parked] = await outbox.parked(channels[1]);
    assert.equal(parked.lastError?.code, 'TEAMS_403');
    assert.equal(connector.activities(channels[1]).length, 0);
  });

  it('parks after the maximum attempts when Teams keeps throttling', async () => {
    connector.failFor(60_000, 429);
    await outbox.enqueue(issueEvent(), [{ target: target(channels[2]), subscriptionIds: ['s1'] }]);
    startWorker({ maxAttempts: 3, backoff: { baseMs: 20, capMs: 50 } });
    await waitUntil(async () => (await outbox.parked(channels[2])).length === 1);
    const [parked] = await outbox.parked(channels[2]);
    assert.equal(parked.attempts, 3);
    assert.equal(parked.lastError?.code, 'TEAMS_429');
    assert.equal(connector.calls.filter((c) => c.status === 429).length, 3);
  });

  it('parks alerts for a conversation the app was removed from', async () => {
    const gone: AlertTarget = { tenantId: DEFAULT_TENANT_ID, conversationId: '19:removed@thread.tacv2' };
    await outbox.enqueue(issueEvent(), [{ target: gone, subscriptionIds: ['s1'] }]);
    startWorker();
    await waitUntil(async () => (await outbox.parked(gone.conversationId)).length === 1);
    assert.equal((await outbox.parked(gone.conversationId))[0].lastError?.code, 'ALERT_CONVERSATION_UNKNOWN');
  });
});

/** Polls a condition; the test's own timeout bounds it. */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
