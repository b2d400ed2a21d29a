import assert from 'node:assert/strict';
import sinon from 'sinon';
import { alertIntake, type AlertIntake } from '../../src/alerts/alert-intake';
import { alertOutbox, type AlertOutbox } from '../../src/alerts/alert-outbox';
import { startEventRouter, type EventMatcher } from '../../src/alerts/event-router';
import { normalizeJiraWebhook } from '../../src/alerts/normalize-jira-webhook';
import { alertCard } from '../../src/cards/alert-card';
import { createLogger } from '../../src/log/create-logger';
import { INBOX_TABLE } from '../../src/alerts/alert-intake';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { ManualClock, settle } from '../support/manual-clock';
import { issueEvent } from './issue-event-builder';
import { webhookFixture } from './webhook-fixture';

describe('event router', () => {
  let store: Store;
  let clock: ManualClock;
  beforeEach(() => {
    store = openTestStore();
    clock = new ManualClock();
  });
  afterEach(async () => {
    sinon.restore();
    await store.close();
  });

  const target = { tenantId: 't', conversationId: '19:c@thread.tacv2' };
  let failing = false;
  const batches: number[] = [];
  const matcher: EventMatcher = {
    async targets(_site, events) {
      batches.push(events.length);
      if (failing) throw new Error('Jira is down');
      return new Map(events.map((e) => [e.id, [{ target, subscriptionIds: ['s'] }]]));
    },
  };

  /** Spies on the outbox's enqueue: every route asked for, as "event id, conversation id". */
  const queuedRoutes = (outbox: AlertOutbox) => {
    const queued: string[] = [];
    const enqueue = outbox.enqueue.bind(outbox);
    sinon.replace(outbox, 'enqueue', (event, routes) => {
      queued.push(...routes.map((r) => `${event.id} ${r.target.conversationId}`));
      return enqueue(event, routes);
    });
    return queued;
  };

  /**
   * The router's reads of the inbox, in call order: `answered` turns true a macrotask turn after the
   * store answered, by when the router has taken what the read found and asked the matcher about it
   * (it does so in the same chain of microtasks). So a test waits for a read instead of for turns.
   */
  const inboxReads = (intake: AlertIntake) => {
    const reads: Array<{ fromStart: boolean; answered: boolean }> = [];
    const read = intake.received.bind(intake);
    sinon.replace(intake, 'received', (page) => {
      const entry = { fromStart: !page?.after, answered: false };
      reads.push(entry);
      const answer = read(page);
      void answer.then(
        () => setImmediate(() => (entry.answered = true)),
        () => undefined,
      );
      return answer;
    });
    return reads;
  };

  it('routes events accepted before it started (a crash in between), and retries a failed batch on the next sweep', async () => {
    const intake = alertIntake(store);
    const outbox = alertOutbox(store);
    const early = [issueEvent(), issueEvent()];
    for (const event of early) await intake.accept(event);
    failing = true;
    batches.length = 0;
    const router = startEventRouter({ intake, outbox, matcher, logger: createLogger({ level: 'silent' }), clock, sweepMs: 1_000 });
    // The first sweep reads both back and matching throws: nothing can be queued from that batch.
    while (batches.length === 0) await settle(1);
    assert.deepEqual(batches, [2]);
    assert.equal((await outbox.pending(target.conversationId)).length, 0, 'nothing routed while matching fails');
    assert.equal((await intake.received()).length, 2, 'still waiting, not lost');

    failing = false;
    await clock.advance(1_000);
    const late = issueEvent();
    await intake.accept(late);
    while ((await intake.received()).length > 0) await settle(1);
    assert.deepEqual((await outbox.pending(target.conversationId)).map((r) => r.entry.eventId).sort(), [...early, late].map((e) => e.id).sort());
    assert.equal((await intake.received()).length, 0);
    assert.equal(await intake.accept(late), false, 'a routed event is still known: a webhook retry is dropped');
    await router.stop();
  });

  it('routes recorded webhooks from their stored inbox rows after a restart, into the same alerts as straight from the webhook', async () => {
    const site = 'https://some-instance-test.atlassian.net';
    const payloads = ['jira-issue_created', 'jira-issue_updated.changelog-status', 'comment_created'].map((name) => JSON.parse(webhookFixture(name)));
    // Answered 202, then the process died before routing: only the rows are left.
    const before = alertIntake(store);
    for (const payload of payloads) assert.equal(await before.receiveWebhook(site, payload), 'accepted');

    const intake = alertIntake(store);
    const outbox = alertOutbox(store);
    const router = startEventRouter({ intake, outbox, matcher, logger: createLogger({ level: 'silent' }), clock, sweepMs: 1_000 });
    await settle(20);
    const routed = (await outbox.pending(target.conversationId)).map((row) => row.entry.event);
    const expected = payloads.map((payload) => normalizeJiraWebhook(payload, site)!);
    assert.deepEqual(
      [...routed].sort((a, b) => a.id.localeCompare(b.id)),
      [...expected].sort((a, b) => a.id.localeCompare(b.id)),
    );
    for (const event of expected) assert.deepEqual(alertCard(routed.find((r) => r.id === event.id)!), alertCard(event));
    await router.stop();
  });

  it('sends what needs no Jira at once, and routes what Jira could not decide after a backoff, without repeating', async () => {
    const intake = alertIntake(store);
    const outbox = alertOutbox(store);
    const plain = { tenantId: 't', conversationId: '19:plain@thread.tacv2' };
    const filtered = { tenantId: 't', conversationId: '19:jql@thread.tacv2' };
    let jiraDown = true;
    const passes: string[] = [];
    // A plain subscription decided locally, and one whose JQL only Jira can evaluate.
    const twoSubscriptions: EventMatcher = {
      async targets(_site, events, options = {}) {
        passes.push(options.offline ? 'offline' : 'online');
        const routes = new Map(events.map((e) => [e.id, [{ target: plain, subscriptionIds: ['plain'] }]]));
        if (options.offline || jiraDown) {
          for (const event of events) options.undecided?.add(event.id);
          return routes;
        }
        for (const event of events) routes.get(event.id)!.push({ target: filtered, subscriptionIds: ['jql'] });
        return routes;
      },
    };
    // The outbox ignores a row it already has, so a route queued twice shows only in its calls.
    const queued = queuedRoutes(outbox);
    const router = startEventRouter({ intake, outbox, matcher: twoSubscriptions, logger: createLogger({ level: 'silent' }), clock, sweepMs: 60_000 });
    const event = issueEvent();
    await intake.accept(event);
    while (!passes.includes('online')) await settle(5);
    await settle(20);

    assert.deepEqual(
      (await outbox.pending(plain.conversationId)).map((r) => r.entry.eventId),
      [event.id],
    );
    assert.equal((await outbox.pending(filtered.conversationId)).length, 0);
    assert.equal((await intake.received()).length, 1, 'the event waits in the inbox for Jira');
    assert.deepEqual(clock.pending(), [1_000, 60_000], 'matched again after a second, well before the sweep');

    jiraDown = false;
    await clock.advance(1_000);
    while ((await intake.received()).length > 0) await settle(5);
    assert.deepEqual(
      (await outbox.pending(filtered.conversationId)).map((r) => r.entry.eventId),
      [event.id],
    );
    assert.deepEqual(queued, [`${event.id} ${plain.conversationId}`, `${event.id} ${filtered.conversationId}`], 'each route queued once');
    await router.stop();
  });

  it('leaves to each instance what it is routing: a sweep takes neither an event routed here now nor one new since the last sweep', async () => {
    const matched: string[] = [];
    let release!: () => void;
    const slow: EventMatcher = {
      async targets(_site, events) {
        matched.push(...events.map((e) => e.id));
        if (matched.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return new Map(events.map((e) => [e.id, [{ target, subscriptionIds: ['s'] }]]));
      },
    };
    const intake = alertIntake(store, { now: () => clock.now() });
    const outbox = alertOutbox(store);
    const reads = inboxReads(intake);
    /** The next sweep, until its read of the inbox was answered and acted on. */
    const sweep = async () => {
      const before = reads.length;
      await clock.advance(1_000);
      while (!reads.slice(before).some((r) => r.fromStart && r.answered)) await settle(1);
    };
    const router = startEventRouter({ intake, outbox, matcher: slow, logger: createLogger({ level: 'silent' }), clock, sweepMs: 1_000 });
    while (!reads[0]?.answered) await settle(1);
    const event = issueEvent();
    await intake.accept(event);
    while (matched.length === 0) await settle(1);
    // Matching is slow (a busy store, Jira): two sweeps pass while this instance routes the event.
    await sweep();
    await sweep();
    release();
    while ((await outbox.pending(target.conversationId)).length === 0) await settle(1);
    await sweep();
    assert.deepEqual(matched, [event.id], 'matched once, by the pass that took it on arrival');

    // Accepted by another instance (its own intake and router): this one takes it only if it is still there a sweep later.
    const elsewhere = alertIntake(store, { now: () => clock.now() });
    const left = issueEvent();
    await elsewhere.accept(left);
    await sweep();
    assert.deepEqual(matched, [event.id], 'not taken from the instance that accepted it a moment ago');
    await sweep();
    assert.deepEqual(matched, [event.id, left.id], 'taken over once it was left for a whole sweep');
    await router.stop();
  });
  it('leaves an event to the live instance that accepted it however long it routes there, and takes it over once that router stops sweeping', async () => {
    const logger = createLogger({ level: 'silent' });
    const outbox = alertOutbox(store);
    // Instance A accepts the event, then its matching hangs (a busy store, Jira) for many sweeps.
    let release!: (fail: boolean) => void;
    const hanging: EventMatcher = {
      async targets() {
        if (await new Promise<boolean>((resolve) => (release = resolve))) throw new Error('A gave up');
        return new Map();
      },
    };
    const a = alertIntake(store, { now: () => clock.now() });
    const b = alertIntake(store, { now: () => clock.now() });
    const routerA = startEventRouter({ intake: a, outbox, matcher: hanging, logger, clock, sweepMs: 1_000 });
    const matchedByB: string[] = [];
    const routerB = startEventRouter({
      intake: b,
      outbox,
      matcher: { targets: async (site, events) => (matchedByB.push(...events.map((e) => e.id)), matcher.targets(site, events)) },
      logger,
      clock,
      sweepMs: 1_000,
    });
    await settle(20);
    const event = issueEvent();
    await a.accept(event);
    for (let sweep = 0; sweep < 5; sweep++) {
      await clock.advance(1_000);
      await settle(20);
    }
    assert.deepEqual(matchedByB, [], 'B swept five times past an event A still routes');

    // A gives up the batch and stops (as a dead instance stops sweeping): B takes the event once A missed three sweeps.
    release(true);
    await routerA.stop();
    for (let sweep = 0; sweep < 2; sweep++) {
      await clock.advance(1_000);
      await settle(20);
    }
    assert.deepEqual(matchedByB, [], 'A swept two sweeps ago: still taken for alive');
    for (let sweep = 0; sweep < 2; sweep++) {
      await clock.advance(1_000);
      await settle(20);
    }
    assert.deepEqual(matchedByB, [event.id]);
    assert.equal((await b.received()).length, 0);
    await routerB.stop();
  });

  it('holds at most maxHeld events in memory: the rest wait in the inbox and are read back a page at a time, none lost, none matched twice', async () => {
    const intake = alertIntake(store, { now: () => clock.now() });
    const outbox = alertOutbox(store);
    const reads = sinon.spy(intake, 'received');
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const matched: string[] = [];
    const gated: EventMatcher = {
      async targets(_site, events) {
        matched.push(...events.map((e) => e.id));
        await gate;
        return new Map(events.map((e) => [e.id, [{ target, subscriptionIds: ['s'] }]]));
      },
    };
    const router = startEventRouter({ intake, outbox, matcher: gated, logger: createLogger({ level: 'silent' }), clock, sweepMs: 60_000, batchSize: 5, maxHeld: 10 });
    await settle(20);
    const sweepReads = reads.callCount;
    const events = Array.from({ length: 60 }, () => issueEvent());
    await Promise.all(events.map((event) => intake.accept(event)));
    await settle(20);
    // The events accepted together start one batch (batchSize of them, not the first arrival alone); five more
    // fill the router, fifty are only in the store.
    assert.deepEqual(
      matched,
      events.slice(0, 5).map((e) => e.id),
      'one batch being matched',
    );
    assert.equal(reads.callCount, sweepReads, 'nothing read back while full');

    open();
    while ((await store.list(INBOX_TABLE)).length > 0) await settle(5);
    assert.deepEqual([...matched].sort(), events.map((e) => e.id).sort(), 'every event matched, once');
    assert.equal((await outbox.pending(target.conversationId)).length, 60);
    const readBack = reads.getCalls().slice(sweepReads);
    const pages = await Promise.all(readBack.map((call) => call.returnValue));
    assert.ok(
      readBack.every((call) => (call.args[0]?.limit ?? Infinity) <= 500),
      'read a page at a time',
    );
    assert.ok(pages.every((page) => page.length <= 10 + 500));
    assert.ok(pages.reduce((n, page) => n + page.length, 0) >= 50, 'the fifty left in the store were read back from it');
    await router.stop();
  });
  it('keeps at most maxHeld events waiting for Jira in memory, the rest in the inbox, and still routes what needs no Jira', async () => {
    const intake = alertIntake(store, { now: () => clock.now() });
    const outbox = alertOutbox(store);
    const plain = { tenantId: 't', conversationId: '19:plain-bound@thread.tacv2' };
    const filtered = { tenantId: 't', conversationId: '19:jql-bound@thread.tacv2' };
    let jiraDown = true;
    const askedJira = new Set<string>();
    const matchedOffline = new Set<string>();
    // Events on JIRA-* issues also go to a conversation whose JQL only Jira can evaluate.
    const matcher: EventMatcher = {
      async targets(_site, events, options = {}) {
        if (options.offline) for (const event of events) matchedOffline.add(event.id);
        const routes = new Map(events.map((e) => [e.id, [{ target: plain, subscriptionIds: ['plain'] }]]));
        for (const event of events.filter((e) => e.issue.key.startsWith('JIRA-'))) {
          if (options.offline || jiraDown) options.undecided?.add(event.id);
          else routes.get(event.id)!.push({ target: filtered, subscriptionIds: ['jql'] });
          if (!options.offline) askedJira.add(event.id);
        }
        return routes;
      },
    };
    const router = startEventRouter({ intake, outbox, matcher, logger: createLogger({ level: 'silent' }), clock, sweepMs: 60_000, batchSize: 4, maxHeld: 5 });
    await settle(20);
    const needJira = Array.from({ length: 20 }, (_, n) => issueEvent({ key: `JIRA-${n + 1}` }));
    for (const event of needJira) await intake.accept(event);
    const plainOnly = [issueEvent(), issueEvent(), issueEvent()];
    for (const event of plainOnly) await intake.accept(event);
    // Every event matched without Jira (those past the bound read back from the inbox), and the plain ones routed.
    while (matchedOffline.size < 23 || (await intake.received()).length > 20) await settle(1);
    assert.ok(askedJira.size <= 5, `${askedJira.size} events waited for Jira in memory`);
    assert.deepEqual((await intake.received()).map((r) => r.event.id).sort(), needJira.map((e) => e.id).sort(), 'what needs no Jira went out; the rest waits in the inbox');

    jiraDown = false;
    for (let sweeps = 0; sweeps < 20 && (await store.list(INBOX_TABLE)).length > 0; sweeps += 1) await clock.advance(61_000);
    assert.equal((await store.list(INBOX_TABLE)).length, 0, 'every event routed once Jira answers');
    assert.equal((await outbox.pending(filtered.conversationId)).length, 20);
    assert.equal((await outbox.pending(plain.conversationId)).length, 23, 'one row per event for the plain conversation: matching a released event again adds none');
    await router.stop();
  });
  it('does not match again and again, while Jira is down, the events it left in the inbox for Jira', async () => {
    const intake = alertIntake(store, { now: () => clock.now() });
    const outbox = alertOutbox(store);
    const offlineMatches = new Map<string, number>();
    const matcher: EventMatcher = {
      async targets(_site, events, options = {}) {
        if (options.offline) for (const event of events) offlineMatches.set(event.id, (offlineMatches.get(event.id) ?? 0) + 1);
        if (offlineMatches.size === 40) readsBeforeAllMatched = Math.min(readsBeforeAllMatched, reads.length);
        for (const event of events) options.undecided?.add(event.id);
        return new Map(events.map((e) => [e.id, [{ target, subscriptionIds: ['s'] }]]));
      },
    };
    // Reads of the inbox from its start that began once every event had been matched: the last
    // catch-up, which reads from the start after reading to the end, finds each event held or
    // parked. The router takes and starts matching what a read found in the same microtask chain,
    // so a macrotask turn after the answer a loop has asked the matcher again.
    const events = Array.from({ length: 40 }, () => issueEvent());
    const reads = inboxReads(intake);
    let readsBeforeAllMatched = Infinity;
    const router = startEventRouter({ intake, outbox, matcher, logger: createLogger({ level: 'silent' }), clock, sweepMs: 60_000, batchSize: 4, maxHeld: 5 });
    await settle(20);
    // All at once: more than the router holds, so it falls behind and reads the inbox back.
    await Promise.all(events.map((event) => intake.accept(event)));
    const twice = () => [...offlineMatches].filter(([, n]) => n > 1);
    const lastRead = () => reads.slice(readsBeforeAllMatched).some((r) => r.fromStart && r.answered);
    while (!lastRead() && twice().length === 0) await settle(1);
    assert.deepEqual(twice(), [], 'no event left for Jira is matched again before a sweep');
    assert.equal(offlineMatches.size, events.length, 'each event matched without Jira');
    await router.stop();
  });
});
