import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OWNERS_TABLE } from '../../src/alerts/alert-outbox';
import { conversationOwnership, type ConversationOwnership } from '../../src/alerts/conversation-ownership';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { storeLeases } from '../../src/store/store-lease';
import { ManualClock } from '../support/manual-clock';

const LEASE_MS = 15_000;

/** Two instances' ownership of conversations on one store, driven by hand: each `beat` is a heartbeat. */
describe('conversation ownership across instances', () => {
  let dir: string;
  let store: Store;
  const clock = new ManualClock();
  const work = new Set<string>();
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ownership-'));
    store = openSqliteStore(path.join(dir, 'store.db'));
    work.clear();
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const instance = (owner: string): ConversationOwnership =>
    conversationOwnership({
      leases: storeLeases(store, { owner, ttlMs: LEASE_MS, now: () => clock.now(), table: OWNERS_TABLE }),
      owner,
      leaseMs: LEASE_MS,
      lingerMs: LEASE_MS,
      clock,
      hasWork: async (id) => work.has(id),
    });

  it('keeps a conversation while its owner beats, and lets a watcher take it the moment a dead owner misses its renewal', async () => {
    const [a, b] = [instance('a'), instance('b')];
    assert.deepEqual(await a.own('c'), { owned: true, taken: true });
    assert.deepEqual(await b.own('c'), { owned: false });
    work.add('c');
    // A is alive: it renews at each heartbeat; B's heartbeats find the lease held and plan nothing.
    for (let i = 0; i < 4; i++) {
      await clock.advance(LEASE_MS / 3);
      await a.beat();
      assert.deepEqual(await b.beat(), { now: [], later: [] });
    }
    // A dies (no more beats): once its lease runs out before B's next heartbeat, B plans the takeover for that moment.
    const expiresAt = (await storeLeases(store, { owner: 'x', ttlMs: 1, table: OWNERS_TABLE }).holder('c'))!.expiresAt;
    let planned: Awaited<ReturnType<ConversationOwnership['beat']>> = { now: [], later: [] };
    for (let i = 0; i < 6 && planned.later.length === 0 && planned.now.length === 0; i++) {
      await clock.advance(LEASE_MS / 3);
      planned = await b.beat();
    }
    assert.deepEqual(planned, { now: [], later: [{ conversationId: 'c', at: expiresAt + 1 }] });
    await clock.advance(expiresAt + 1 - clock.now());
    assert.deepEqual(await b.own('c'), { owned: true, taken: true });
  });

  it('gives an idle conversation up after the linger in one write, unless rows came meanwhile', async () => {
    const a = instance('a');
    for (const id of ['c1', 'c2']) assert.deepEqual(await a.own(id), { owned: true, taken: true });
    a.idle('c1');
    a.idle('c2');
    work.add('c2');
    // c2 got rows from another instance while idle: the heartbeat's read at the linger's end finds them and drains it.
    let planned: Awaited<ReturnType<ConversationOwnership['beat']>> = { now: [], later: [] };
    for (let i = 0; i < 3; i++) {
      await clock.advance(LEASE_MS / 3);
      planned = await a.beat();
    }
    assert.deepEqual(planned, { now: ['c2'], later: [] });
    const leases = await storeLeases(store, { owner: 'x', ttlMs: 1, now: () => clock.now(), table: OWNERS_TABLE }).list();
    assert.deepEqual(
      leases.map(({ name, expired }) => ({ name, expired })),
      [
        { name: 'c1', expired: true },
        { name: 'c2', expired: false },
      ],
      'c1 given up after the linger; c2, drained since, still held',
    );
    // Another instance takes the one given up at once.
    assert.deepEqual(await instance('b').own('c1'), { owned: true, taken: true });
  });
});
