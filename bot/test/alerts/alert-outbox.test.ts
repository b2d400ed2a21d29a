import assert from 'node:assert/strict';
import { alertOutbox, OUTBOX_TABLE, SENT_TABLE } from '../../src/alerts/alert-outbox';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { issueEvent } from './issue-event-builder';

describe('alert outbox', () => {
  let store: Store;
  beforeEach(() => {
    store = openTestStore();
  });
  afterEach(async () => store.close());

  const target = { tenantId: 't', conversationId: '19:c@thread.tacv2' };
  const route = [{ target, subscriptionIds: ['s'] }];

  /** Enqueues one event for the target conversation and claims its row, as a worker does before a send. */
  async function enqueueAndClaim(outbox: ReturnType<typeof alertOutbox>, event = issueEvent(), workerId = 'w1') {
    await outbox.enqueue(event, route);
    const [row] = await outbox.pending(target.conversationId);
    const claimed = await outbox.claim(row, workerId);
    assert.ok(claimed);
    return { row, claimed };
  }

  it('keeps one row per event and conversation, in the order of the changes, whatever is enqueued again', async () => {
    const outbox = alertOutbox(store);
    const later = issueEvent();
    const earlier = issueEvent({ occurredAt: new Date(Date.parse(later.occurredAt) - 60_000).toISOString() });
    assert.deepEqual(await outbox.enqueue(later, route), [target]);
    assert.deepEqual(await outbox.enqueue(later, route), []);
    await outbox.enqueue(earlier, [...route, { target: { tenantId: 't', conversationId: 'other' }, subscriptionIds: ['s'] }]);
    assert.deepEqual(
      (await outbox.pending(target.conversationId)).map((r) => r.entry.eventId),
      [earlier.id, later.id],
    );
    assert.deepEqual(await outbox.conversationsWithWork(), ['other', target.conversationId].sort());
  });

  it('reads the head of a long queue a page at a time, past parked rows, without parsing the rest', async () => {
    const outbox = alertOutbox(store);
    const base = Date.parse('2026-01-01T00:00:00Z');
    const events = Array.from({ length: 20 }, (_, i) => issueEvent({ occurredAt: new Date(base + i * 1_000).toISOString() }));
    for (const event of events) await outbox.enqueue(event, route);
    const rows = await outbox.pending(target.conversationId);
    // The first five are parked: a page of three holds none of the pending rows, the next one some.
    for (const row of rows.slice(0, 5)) await outbox.park(row, { code: 'TEAMS_403', status: 403, at: base });
    let parsed = 0;
    const list = store.list.bind(store);
    store.list = async (...args: Parameters<Store['list']>) => {
      const items = await list(...args);
      parsed += items.length;
      return items as never;
    };
    assert.deepEqual(
      (await outbox.pending(target.conversationId, 3)).map((row) => row.entry.eventId),
      events.slice(5, 8).map((event) => event.id),
    );
    assert.ok(parsed <= 9, `read ${parsed} rows for the first 3 pending`);
    assert.equal((await outbox.pending(target.conversationId, 100)).length, 15, 'a limit past the end gives every pending row');
  });

  it('never revives a sent row: not by a late enqueue, not by an enqueue racing the move', async () => {
    const outbox = alertOutbox(store);
    const event = issueEvent();
    const { row, claimed } = await enqueueAndClaim(outbox, event);
    assert.equal(await outbox.claim(row, 'w2'), undefined, 'the ETag guards the claim');
    await outbox.markSent(claimed, { activityId: 'a1', at: Date.now(), mode: 'post' });
    assert.deepEqual(await store.list(OUTBOX_TABLE), []);
    assert.equal((await store.list(SENT_TABLE)).length, 1);

    // A late retry (an event routed again) puts the row back; the claim finds its sent record and drops it.
    await outbox.enqueue(event, route);
    const [revived] = await outbox.pending(target.conversationId);
    assert.equal(revived.key.row, row.key.row);
    assert.equal(await outbox.claim(revived, 'w3'), undefined);
    assert.deepEqual(await store.list(OUTBOX_TABLE), []);
    // So does a claim of several rows: the revived one and those after it wait, and it is dropped.
    await outbox.enqueue(event, route);
    assert.deepEqual(await outbox.claimAll(await outbox.pending(target.conversationId), 'w4'), []);
    assert.deepEqual(await store.list(OUTBOX_TABLE), []);
  });

  it("keeps of a sent alert its ids, target and send, not the event's content, and still counts and stops it", async () => {
    const outbox = alertOutbox(store);
    const event = issueEvent();
    const { claimed } = await enqueueAndClaim(outbox, event);
    const at = 1_780_000_000_000;
    await outbox.markSent(claimed, { activityId: 'a1', at, mode: 'post' });
    const [record] = await store.list<Record<string, unknown>>(SENT_TABLE);
    assert.deepEqual(record.value.event, { id: event.id, site: event.site, source: 'webhook', occurredAt: event.occurredAt, issue: { id: event.issue.id, key: event.issue.key } });
    const stored = JSON.stringify(record.value);
    assert.ok(event.actor, 'the test event names an actor');
    for (const content of [event.issue.summary, event.actor.displayName, 'In Progress']) assert.ok(!stored.includes(content), `${content} is not kept`);
    assert.deepEqual(record.value.sent, { activityId: 'a1', at, mode: 'post' });
    assert.equal(record.value.sending, undefined);
    assert.deepEqual(await outbox.recentSends(at - 1), [{ target, at }]);
    assert.deepEqual(await outbox.recentSendsTo(target.conversationId, at - 1), [at]);
    await outbox.enqueue(event, route);
    const [again] = await outbox.pending(target.conversationId);
    assert.equal(await outbox.claim(again, 'w2'), undefined, 'the record still stops a repeat');
  });

  it("claims a digest's rows together, in order, up to the first one changed or already sent, and marks them all sent in one write", async () => {
    const outbox = alertOutbox(store);
    const events = Array.from({ length: 4 }, () => issueEvent());
    for (const event of events) await outbox.enqueue(event, route);
    const rows = await outbox.pending(target.conversationId);
    const claimed = await outbox.claimAll(rows, 'w1');
    assert.deepEqual(
      claimed.map((row) => [row.entry.eventId, row.entry.sending?.owner]),
      events.map((event) => [event.id, 'w1']),
    );
    // Read before that claim: every ETag is stale, so nothing is claimed again.
    assert.deepEqual(await outbox.claimAll(rows, 'w2'), []);

    // A row changed since it was read stops the claim there; the rows before it are claimed.
    const fresh = await outbox.pending(target.conversationId);
    await outbox.retryLater(fresh[2], { code: 'TEAMS_429', status: 429, at: 1 }, 0);
    assert.deepEqual(
      (await outbox.claimAll(fresh, 'w3')).map((row) => row.entry.eventId),
      events.slice(0, 2).map((event) => event.id),
    );

    // A row an enqueue re-created after its send is dropped, and the rows after it wait.
    const again = await outbox.pending(target.conversationId);
    await outbox.markAllSent(again.slice(0, 2), { activityId: 'digest-1', at: Date.now(), mode: 'digest' });
    assert.deepEqual(
      (await outbox.pending(target.conversationId)).map((row) => row.entry.eventId),
      events.slice(2).map((event) => event.id),
    );
    await store.put(again[1].key, again[1].entry);
    const revived = await outbox.pending(target.conversationId);
    assert.deepEqual(
      revived.map((row) => row.entry.eventId),
      events.slice(1).map((event) => event.id),
    );
    assert.deepEqual(await outbox.claimAll(revived, 'w4'), []);
    assert.deepEqual(
      (await outbox.pending(target.conversationId)).map((row) => row.entry.eventId),
      events.slice(2).map((event) => event.id),
    );
    assert.deepEqual(
      (await store.list<{ sent: { activityId: string } }>(SENT_TABLE)).map((item) => item.value.sent.activityId),
      ['digest-1', 'digest-1'],
    );
  });

  it('claims and records the sends of one turn in one write each where the store merges writes, and each alone where it does not', async () => {
    /** The store, counting putAll calls; `merges` says whether it offers merged writes. */
    const counted = (merges: boolean) => {
      const calls: number[] = [];
      const wrapped: Store = { ...store, mergesWrites: merges, putAll: (items, deletes) => (calls.push(items.length), store.putAll(items, deletes)) };
      return { wrapped, calls };
    };
    const targets = ['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2'].map((conversationId) => ({ tenantId: 't', conversationId }));
    for (const merges of [true, false]) {
      const { wrapped, calls } = counted(merges);
      const outbox = alertOutbox(wrapped);
      for (const each of targets) await outbox.enqueue(issueEvent(), [{ target: each, subscriptionIds: ['s'] }]);
      const rows = await Promise.all(targets.map(async (each) => (await outbox.pending(each.conversationId))[0]));
      // Another worker changed the second row since it was read: that claim fails, the others hold.
      const changed = await outbox.claim(rows[1], 'w2');
      calls.length = 0;
      const claimed = await Promise.all(rows.map((row) => outbox.claim(row, 'w1')));
      assert.deepEqual(
        claimed.map((row) => row?.entry.sending?.owner),
        ['w1', undefined, 'w1'],
      );
      // Merged: one putAll refused for the stale row (nothing written), then each claim alone.
      assert.deepEqual(calls, merges ? [3] : []);
      claimed[1] = changed;

      calls.length = 0;
      // Three drains record their sends in the same turn, each with its card thread.
      const thread = { key: { table: 'alert-threads', partition: 'p', row: 'r' }, value: {} };
      await Promise.all(
        claimed.map((row, i) => outbox.markSent(row!, { activityId: `a${i}`, at: Date.now(), mode: 'post' }, [{ ...thread, key: { ...thread.key, row: `r${i}` } }])),
      );
      assert.deepEqual(calls, merges ? [6] : [2, 2, 2], merges ? 'one putAll: three sent records and three threads' : 'one putAll per send');
      for (const each of targets) assert.deepEqual(await outbox.pending(each.conversationId), [], `${each.conversationId} moved out`);
      assert.equal((await store.list(SENT_TABLE)).length, merges ? 3 : 6);
    }

    // Without a conflict, the claims of one turn are one write.
    const { wrapped, calls } = counted(true);
    const outbox = alertOutbox(wrapped);
    for (const each of targets) await outbox.enqueue(issueEvent(), [{ target: each, subscriptionIds: ['s'] }]);
    const rows = await Promise.all(targets.map(async (each) => (await outbox.pending(each.conversationId))[0]));
    calls.length = 0;
    assert.ok((await Promise.all(rows.map((row) => outbox.claim(row, 'w1')))).every((row) => row?.entry.sending?.owner === 'w1'));
    assert.deepEqual(calls, [3]);
  });

  it('parks with the reason, lists parked rows, and queues them again on request', async () => {
    const outbox = alertOutbox(store);
    await outbox.enqueue(issueEvent(), route);
    const [row] = await outbox.pending(target.conversationId);
    await outbox.park(row, { code: 'TEAMS_403', status: 403, at: 1 });
    assert.deepEqual(await outbox.pending(target.conversationId), []);
    assert.equal((await outbox.parked(target.conversationId))[0].lastError?.code, 'TEAMS_403');
    assert.equal(await outbox.retryParked(target.conversationId), 1);
    assert.equal((await outbox.pending(target.conversationId))[0].entry.attempts, 0);
  });

  it('forgets sent records after the retention, and reports recent sends for the rate limiter', async () => {
    let now = 1_000_000;
    const outbox = alertOutbox(store, { now: () => now, retentionMs: 10_000 });
    const { claimed } = await enqueueAndClaim(outbox, issueEvent(), 'w');
    await outbox.markSent(claimed, { activityId: 'a', at: now, mode: 'post' });
    assert.deepEqual(await outbox.recentSends(now - 1), [{ target, at: now }]);
    assert.deepEqual(await outbox.recentSendsTo(target.conversationId, now - 1), [now]);
    assert.deepEqual(await outbox.recentSendsTo('other', 0), []);
    now += 20_000;
    assert.equal(await outbox.prune(now), 1);
    assert.deepEqual(await outbox.recentSends(0), []);
  });
});
