import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { alertIntake, INBOX_TABLE, SEEN_BY_HOUR_TABLE, SEEN_TABLE } from '../../src/alerts/alert-intake';
import { normalizeJiraWebhook } from '../../src/alerts/normalize-jira-webhook';
import { storeKeyPart } from '../../src/store/store-key-part';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { issueEvent } from './issue-event-builder';
import { webhookFixture } from './webhook-fixture';

describe('alert intake group commit', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore(':memory:');
  });
  afterEach(async () => {
    sinon.restore();
    await store.close();
  });

  it('writes each event with one insertNew (the store merges those of one turn), with no read before it, and resolves each only once it is stored', async () => {
    const insertNew = sinon.spy(store, 'insertNew');
    const get = sinon.spy(store, 'get');
    const intake = alertIntake(store);
    const events = [issueEvent(), issueEvent(), issueEvent()];
    const outcomes = await Promise.all(events.map((event) => intake.accept(event)));
    assert.deepEqual(outcomes, [true, true, true]);
    assert.deepEqual(
      insertNew.getCalls().map((call) => call.args[0].map((item) => [item.key.table, item.claim?.key.table])),
      events.map(() => [[INBOX_TABLE, SEEN_TABLE]]),
    );
    assert.equal(get.callCount, 0);
    assert.deepEqual(
      (await intake.received()).map((r) => r.event),
      [...events].sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('tells a duplicate in the same batch from its original, and stores the rest of the batch', async () => {
    const intake = alertIntake(store);
    const accepted: string[] = [];
    intake.onAccepted((received) => accepted.push(received.event.id));
    const original = issueEvent();
    const other = issueEvent();
    const outcomes = await Promise.all([intake.accept(original), intake.accept({ ...original }), intake.accept(other)]);
    assert.deepEqual(outcomes, [true, false, true]);
    assert.deepEqual(accepted, [original.id, other.id]);
    assert.equal((await store.list(INBOX_TABLE)).length, 2);
  });

  it('drops an event already routed (its id kept in the seen table), as a webhook retry or a poll of it', async () => {
    const intake = alertIntake(store);
    const event = issueEvent();
    assert.equal(await intake.accept(event), true);
    await intake.markRouted(await intake.received());
    assert.equal((await store.list(INBOX_TABLE)).length, 0);
    assert.ok(await store.get({ table: SEEN_TABLE, partition: storeKeyPart(event.site), row: storeKeyPart(event.id) }));
    assert.equal(await intake.accept({ ...event, source: 'poll' }), false);
    assert.equal(await intake.receiveWebhook(event.site, { webhookEvent: 'not-an-issue-event' }), 'ignored');
    assert.deepEqual(await intake.received(), []);
  });

  it('forgets routed ids past the retention by reading only the hours that expired, never the whole seen table', async () => {
    const HOUR = 3_600_000;
    const start = Date.UTC(2026, 0, 1);
    let now = start;
    const intake = alertIntake(store, { now: () => now });
    const seenKey = (event: { site: string; id: string }) => ({ table: SEEN_TABLE, partition: storeKeyPart(event.site), row: storeKeyPart(event.id) });
    const routeAt = async (at: number, count: number) => {
      now = at;
      const events = Array.from({ length: count }, () => issueEvent());
      for (const event of events) await intake.accept(event);
      await intake.markRouted(await intake.received());
      return events;
    };
    // An id an earlier version kept, with no hour entry, two days old.
    const legacy = issueEvent();
    await store.put(seenKey(legacy), { at: start - 48 * HOUR });
    const early = await routeAt(start + HOUR / 2, 3);
    const later = await routeAt(start + 5 * HOUR, 2);

    // The first prune reads the seen table once (the legacy id goes), then never again.
    now = start + 10 * HOUR;
    assert.equal(await intake.prune(now), 1);
    assert.equal(await store.get(seenKey(legacy)), undefined);
    const list = sinon.spy(store, 'list');
    assert.equal(await intake.prune(start + 24 * HOUR + HOUR / 2), 0, 'nothing is a day old yet');
    assert.equal(await intake.prune(start + 26 * HOUR), 3);
    for (const event of early) assert.equal(await store.get(seenKey(event)), undefined);
    for (const event of later) assert.ok(await store.get(seenKey(event)), 'an id within the retention is kept');
    assert.equal(await intake.accept(later[0]), false, 'and still drops a retry');
    assert.ok(
      list.getCalls().every((call) => call.args[0] === SEEN_BY_HOUR_TABLE && call.args[1] !== undefined),
      'only hour partitions were read',
    );
    const rows = await Promise.all(list.getCalls().map((call) => call.returnValue));
    assert.equal(
      rows.reduce((n, page) => n + page.length, 0),
      3,
      'only the expired ids were read',
    );
    assert.equal(await intake.prune(start + 30 * HOUR), 2);
    assert.deepEqual(await store.list(SEEN_TABLE), []);
    assert.deepEqual(
      (await store.list(SEEN_BY_HOUR_TABLE)).map((item) => item.key.partition),
      ['pruned'],
      'the hour entries went with their ids',
    );
  });

  it('rejects every caller of a batch whose write failed, so none answers 202', async () => {
    sinon.stub(store, 'insertNew').rejects(new Error('disk full'));
    const intake = alertIntake(store);
    const results = await Promise.allSettled([intake.accept(issueEvent()), intake.accept(issueEvent())]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal((await store.list(INBOX_TABLE)).length, 0);
  });
});

describe('alert intake across a restart', () => {
  const SITE = 'https://some-instance-test.atlassian.net';
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-intake-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives a new process every accepted event exactly as it was accepted, and still knows the duplicates', async () => {
    const file = path.join(dir, 'store.db');
    const before = openSqliteStore(file);
    const intake = alertIntake(before, { now: () => 1_790_000_000_000 });
    const payloads = ['jira-issue_created', 'jira-issue_updated.changelog-status', 'comment_created'].map((name) => JSON.parse(webhookFixture(name)));
    for (const payload of payloads) assert.equal(await intake.receiveWebhook(SITE, payload), 'accepted');
    await before.close();

    const after = openSqliteStore(file);
    const restarted = alertIntake(after);
    const received = await restarted.received();
    const expected = payloads.map((payload) => normalizeJiraWebhook(payload, SITE)!);
    assert.deepEqual(
      received.map((r) => r.event),
      expected.sort((a, b) => storeKeyPart(a.id).localeCompare(storeKeyPart(b.id))),
    );
    assert.ok(received.every((r) => r.receivedAt === 1_790_000_000_000 && r.state === 'received'));
    for (const payload of payloads) assert.equal(await restarted.receiveWebhook(SITE, payload), 'duplicate');
    await after.close();
  });

  it('still routes inbox rows an earlier version wrote (the whole event in the row)', async () => {
    const store = openSqliteStore(path.join(dir, 'store.db'));
    const event = issueEvent();
    const key = { table: INBOX_TABLE, partition: storeKeyPart(event.site), row: storeKeyPart(event.id) };
    await store.put(key, { event, state: 'received', receivedAt: 7 });
    const intake = alertIntake(store);
    const [received] = await intake.received();
    assert.deepEqual(received.event, event);
    assert.equal(received.receivedAt, 7);
    assert.equal(await intake.accept(event), false, 'its retry is a duplicate');
    await store.close();
  });
});
