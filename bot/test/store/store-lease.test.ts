import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openAzureTableStore } from '../../src/store/azure-table-store';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { storeLeases } from '../../src/store/store-lease';
import { StoreConflictError, type Store } from '../../src/store/store';
import { startAzurite, type Azurite } from '../support/azurite';

/** Two handles on one backing store stand for two service instances. */
type OpenPair = () => Promise<[Store, Store]>;

function runLeaseTests(name: string, openPair: () => OpenPair): void {
  describe(`Store leases on ${name}`, () => {
    let a: Store;
    let b: Store;
    let clock: number;
    const now = () => clock;
    const ttlMs = 30_000;
    beforeEach(async () => {
      clock = 1_000_000;
      [a, b] = await openPair()();
    });
    afterEach(async () => {
      await a.close();
      await b.close();
    });

    it('gives a free lease to the first taker and refuses another owner until it expires', async () => {
      const one = storeLeases(a, { owner: 'one', ttlMs, now });
      const two = storeLeases(b, { owner: 'two', ttlMs, now });
      const held = await one.take('poller:site-1');
      assert.equal(held?.owner, 'one');
      assert.equal(held?.expiresAt, clock + ttlMs);
      assert.equal(held?.generation, 1);
      assert.equal(await two.take('poller:site-1'), undefined);
      clock += ttlMs - 1;
      assert.equal(await two.take('poller:site-1'), undefined);
      assert.deepEqual(await two.holder('poller:site-1'), { owner: 'one', expiresAt: held.expiresAt, generation: 1, expired: false });
      // Another name is independent.
      assert.equal((await two.take('poller:site-2'))?.owner, 'two');
    });

    it('lets another owner take an expired lease with a higher generation, and the old holder can then not renew', async () => {
      const one = storeLeases(a, { owner: 'one', ttlMs, now });
      const two = storeLeases(b, { owner: 'two', ttlMs, now });
      const first = await one.take('outbox:c1');
      assert.ok(first);
      clock += ttlMs;
      assert.equal((await one.holder('outbox:c1'))?.expired, true);
      const taken = await two.take('outbox:c1');
      assert.equal(taken?.owner, 'two');
      assert.equal(taken?.generation, 2);
      assert.equal(await one.renew(first), undefined, 'a late renew must not steal the lease back');
      assert.equal(await one.take('outbox:c1'), undefined);
      assert.equal((await two.holder('outbox:c1'))?.owner, 'two');
    });

    it('renews a held lease to a later expiry, keeping its generation, so it outlives its first ttl', async () => {
      const one = storeLeases(a, { owner: 'one', ttlMs, now });
      const two = storeLeases(b, { owner: 'two', ttlMs, now });
      let held = await one.take('x');
      assert.ok(held);
      for (let i = 0; i < 3; i++) {
        clock += ttlMs - 1_000;
        const renewed = await one.renew(held);
        assert.ok(renewed, `renew ${i} failed`);
        assert.equal(renewed.expiresAt, clock + ttlMs);
        assert.equal(renewed.generation, 1);
        held = renewed;
        assert.equal(await two.take('x'), undefined);
      }
      // Taking a lease one already holds renews it too.
      clock += 1_000;
      const again = await one.take('x');
      assert.equal(again?.generation, 1);
      assert.equal(again?.expiresAt, clock + ttlMs);
    });

    it('frees the lease at once on release, and a stale release leaves the new holder alone', async () => {
      const one = storeLeases(a, { owner: 'one', ttlMs, now });
      const two = storeLeases(b, { owner: 'two', ttlMs, now });
      const first = await one.take('x');
      assert.ok(first);
      await one.release(first);
      assert.equal(await two.holder('x'), undefined);
      const second = await two.take('x');
      assert.equal(second?.owner, 'two');
      await one.release(first);
      assert.equal((await one.holder('x'))?.owner, 'two');
      assert.deepEqual(
        (await one.list()).map((l) => [l.name, l.owner]),
        [['x', 'two']],
      );
    });

    it('gives a contested lease to exactly one of several racing owners', async () => {
      const contenders = Array.from({ length: 6 }, (_, i) => storeLeases(i % 2 ? b : a, { owner: `o${i}`, ttlMs, now }));
      const free = await Promise.all(contenders.map((c) => c.take('race')));
      assert.equal(free.filter(Boolean).length, 1);
      clock += ttlMs;
      const expired = await Promise.all(contenders.map((c) => c.take('race')));
      assert.equal(expired.filter(Boolean).length, 1);
      assert.equal(expired.find(Boolean)?.generation, 2);
    });
  });
}

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-lease-')), 'store.db');
runLeaseTests('SQLite (two connections to one file)', () => async () => {
  const file = tempFile();
  return [openSqliteStore(file), openSqliteStore(file)];
});

describe('Store leases on Azurite', () => {
  let azurite: Azurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  runLeaseTests('Azure Tables (two clients on one table)', () => async () => {
    const tableName = `t${randomBytes(8).toString('hex')}`;
    return [
      await openAzureTableStore({ connectionString: azurite.connectionString, tableName }),
      await openAzureTableStore({ connectionString: azurite.connectionString, tableName }),
    ];
  });
});

describe('Store leases when a write lands but its answer is lost', () => {
  it('recognises its own take and renew on re-read instead of reporting the lease lost', async () => {
    const store = openSqliteStore(':memory:');
    let loseNextAnswer = false;
    // A store whose put writes, then reports a conflict: what a retried Azure call does when the first attempt landed.
    const lossy: Store = {
      ...store,
      put: async (key, value, options) => {
        const written = await store.put(key, value, options);
        if (!loseNextAnswer) return written;
        loseNextAnswer = false;
        throw new StoreConflictError(key, options?.ifMatch ? 'etag-mismatch' : 'exists');
      },
    };
    let clock = 0;
    const leases = storeLeases(lossy, { owner: 'one', ttlMs: 10, now: () => clock });
    loseNextAnswer = true;
    const held = await leases.take('x');
    assert.equal(held?.owner, 'one');
    clock = 5;
    loseNextAnswer = true;
    const renewed = await leases.renew(held);
    assert.ok(renewed);
    assert.equal(renewed.expiresAt, 15);
    assert.equal((await leases.holder('x'))?.expiresAt, 15);
    // The ETag it reports is the stored one, so the next renew works.
    assert.ok(await leases.renew(renewed));
    await store.close();
  });
});
