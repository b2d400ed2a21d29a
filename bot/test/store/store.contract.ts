import assert from 'node:assert/strict';
import { StoreConflictError, type Store } from '../../src/store/store';

/**
 * The one contract every Store implementation runs (botbuilder's storageBaseTests, for our
 * shape). No implementation-specific branches: what passes here is what the service relies on.
 */
export function runStoreContract(name: string, open: () => Promise<Store>, dispose?: (store: Store) => Promise<void>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      if (dispose) await dispose(store);
      else await store.close();
    });

    const key = (row = 'r1', partition = 'p1', table = 'things') => ({ table, partition, row });

    it('reads nothing for an unknown key', async () => {
      assert.equal(await store.get(key('missing')), undefined);
    });

    it('reads several keys at once, in order, across partitions and tables, undefined where nothing is stored', async () => {
      const rows = Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}`);
      const written = await store.putAll(rows.filter((_, i) => i % 3 !== 0).map((row) => ({ key: key(row), value: { row } })));
      const other = await store.put(key('r01', 'p2'), { row: 'p2' });
      const wanted = [...rows.map((row) => key(row)), key('r01', 'p2'), key('r01', 'p1', 'elsewhere')];
      const read = await store.getMany<{ row: string }>(wanted);
      assert.deepEqual(
        read.map((item) => item && [item.key.row, item.value.row, item.etag]),
        [...rows.map((row, i) => (i % 3 === 0 ? undefined : [row, row, written.find((w) => w.key.row === row)?.etag])), ['r01', 'p2', other.etag], undefined],
      );
      assert.deepEqual(await store.getMany([]), []);
    });

    it('creates, reads back and updates an item with a new ETag each write', async () => {
      const first = await store.put(key(), { n: 1, nested: { list: ['a', 'b'] } });
      const read = await store.get<{ n: number; nested: { list: string[] } }>(key());
      assert.deepEqual(read?.value, { n: 1, nested: { list: ['a', 'b'] } });
      assert.equal(read?.etag, first.etag);
      const second = await store.put(key(), { n: 2 });
      assert.notEqual(second.etag, first.etag);
      assert.deepEqual((await store.get(key()))?.value, { n: 2 });
    });

    it('writes with the current ETag', async () => {
      const first = await store.put(key(), { n: 1 });
      const second = await store.put(key(), { n: 2 }, { ifMatch: first.etag });
      assert.deepEqual((await store.get(key()))?.value, { n: 2 });
      assert.equal((await store.get(key()))?.etag, second.etag);
    });

    it('refuses a write with an old ETag and keeps the newer value', async () => {
      const first = await store.put(key(), { n: 1 });
      await store.put(key(), { n: 2 }, { ifMatch: first.etag });
      await assert.rejects(store.put(key(), { n: 3 }, { ifMatch: first.etag }), StoreConflictError);
      assert.deepEqual((await store.get(key()))?.value, { n: 2 });
    });

    it('refuses ifMatch on an item that does not exist', async () => {
      await assert.rejects(store.put(key('ghost'), { n: 1 }, { ifMatch: 'whatever' }), StoreConflictError);
      assert.equal(await store.get(key('ghost')), undefined);
    });

    it('creates only once with ifNoneMatch', async () => {
      await store.put(key(), { n: 1 }, { ifNoneMatch: '*' });
      await assert.rejects(store.put(key(), { n: 2 }, { ifNoneMatch: '*' }), StoreConflictError);
      assert.deepEqual((await store.get(key()))?.value, { n: 1 });
    });

    it('writes several items at once, each with its own precondition, in order', async () => {
      const existing = await store.put(key('r2'), { n: 0 });
      const written = await store.putAll([
        { key: key('r1'), value: { n: 1 }, options: { ifNoneMatch: '*' } },
        { key: key('r2'), value: { n: 2 }, options: { ifMatch: existing.etag } },
        { key: key('r3', 'p2'), value: { n: 3 } },
      ]);
      assert.deepEqual(
        written.map((item) => [item.key.row, item.value]),
        [
          ['r1', { n: 1 }],
          ['r2', { n: 2 }],
          ['r3', { n: 3 }],
        ],
      );
      for (const item of written) assert.equal((await store.get(item.key))?.etag, item.etag);
      assert.deepEqual((await store.get(key('r2')))?.value, { n: 2 });
      assert.deepEqual(await store.putAll([]), []);
    });

    it('deletes keys in the same putAll, after its writes, missing keys included', async () => {
      await store.put(key('old'), { n: 0 });
      const [moved] = await store.putAll([{ key: key('old', 'p1', 'moved'), value: { n: 0 } }], [key('old'), key('never-there')]);
      assert.equal(await store.get(key('old')), undefined);
      assert.equal((await store.get(key('old', 'p1', 'moved')))?.etag, moved.etag);
      await store.putAll([], [key('old', 'p1', 'moved')]);
      assert.equal(await store.get(key('old', 'p1', 'moved')), undefined);
    });

    it('refuses putAll when a precondition fails and keeps the stored value', async () => {
      await store.put(key(), { n: 1 });
      await assert.rejects(store.putAll([{ key: key(), value: { n: 2 }, options: { ifNoneMatch: '*' } }]), StoreConflictError);
      await assert.rejects(store.putAll([{ key: key(), value: { n: 3 }, options: { ifMatch: 'stale' } }]), StoreConflictError);
      assert.deepEqual((await store.get(key()))?.value, { n: 1 });
    });

    it('inserts only new items and skips the others without failing the rest; of one key the first wins', async () => {
      await store.put(key('taken'), { n: 0 });
      const written = await store.insertNew([
        { key: key('fresh'), value: { n: 1 } },
        { key: key('taken'), value: { n: 2 } },
        { key: key('twice'), value: { n: 3 } },
        { key: key('twice'), value: { n: 4 } },
      ]);
      assert.deepEqual(
        written.map((item) => item && [item.key.row, item.value]),
        [['fresh', { n: 1 }], undefined, ['twice', { n: 3 }], undefined],
      );
      for (const item of written) if (item) assert.equal((await store.get(item.key))?.etag, item.etag);
      assert.deepEqual((await store.get(key('taken')))?.value, { n: 0 });
      assert.deepEqual((await store.get(key('twice')))?.value, { n: 3 });
      assert.deepEqual(await store.insertNew([]), []);
    });

    it('skips an insert whose unlessExists key holds an item, and leaves nothing behind', async () => {
      const done = key('e1', 'p1', 'done-markers');
      await store.put(done, { at: 1 });
      const written = await store.insertNew([
        { key: key('e1'), value: { n: 1 }, unlessExists: done },
        { key: key('e2'), value: { n: 2 }, unlessExists: key('e2', 'p1', 'done-markers') },
        { key: key('e1'), value: { n: 3 } },
      ]);
      assert.deepEqual(
        written.map((item) => item?.value),
        [undefined, { n: 2 }, { n: 3 }],
      );
      assert.deepEqual(
        (await store.list<{ n: number }>('things')).map((i) => [i.key.row, i.value.n]),
        [
          ['e1', 3],
          ['e2', 2],
        ],
      );
    });

    it('writes an insert’s claim with it, and skips an insert whose claim is taken, leaving nothing behind', async () => {
      const claim = (row: string, at: number) => ({ key: key(row, 'p1', 'claims'), value: { at } });
      await store.put(claim('e1', 0).key, { at: 0 });
      const written = await store.insertNew([
        { key: key('e1'), value: { n: 1 }, claim: claim('e1', 1) },
        { key: key('e2'), value: { n: 2 }, claim: claim('e2', 2) },
        { key: key('e3'), value: { n: 3 }, claim: claim('e3', 3) },
      ]);
      assert.deepEqual(
        written.map((item) => item?.value),
        [undefined, { n: 2 }, { n: 3 }],
      );
      assert.deepEqual(
        (await store.list<{ n: number }>('things')).map((i) => i.key.row),
        ['e2', 'e3'],
      );
      assert.deepEqual(
        (await store.list<{ at: number }>('claims')).map((i) => [i.key.row, i.value.at]),
        [
          ['e1', 0],
          ['e2', 2],
          ['e3', 3],
        ],
      );
      // Its item gone (the work done), the claim still turns the same insert away.
      await store.delete(key('e2'));
      assert.deepEqual(await store.insertNew([{ key: key('e2'), value: { n: 4 }, claim: claim('e2', 4) }]), [undefined]);
      assert.equal(await store.get(key('e2')), undefined);
    });

    it('lets exactly one of many concurrent inserters of one key win', async () => {
      const attempts = await Promise.all(Array.from({ length: 10 }, (_, i) => store.insertNew([{ key: key('race'), value: { winner: i } }])));
      const winners = attempts.flat().filter((item) => item !== undefined);
      assert.equal(winners.length, 1);
      assert.deepEqual((await store.get(key('race')))?.value, winners[0]?.value);
    });

    it('lets exactly one of many concurrent creators win', async () => {
      const attempts = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.put(key('race'), { winner: i }, { ifNoneMatch: '*' })));
      assert.equal(attempts.filter((a) => a.status === 'fulfilled').length, 1);
    });

    it('deletes, and reports false for an unknown key', async () => {
      await store.put(key(), { n: 1 });
      assert.equal(await store.delete(key()), true);
      assert.equal(await store.get(key()), undefined);
      assert.equal(await store.delete(key()), false);
    });

    it('refuses a delete with a stale ETag', async () => {
      const first = await store.put(key(), { n: 1 });
      await store.put(key(), { n: 2 });
      await assert.rejects(store.delete(key(), { ifMatch: first.etag }), StoreConflictError);
      assert.deepEqual((await store.get(key()))?.value, { n: 2 });
    });

    it('lists a table or one partition, ordered by keys, without mixing tables', async () => {
      await store.put(key('b', 'p2'), { v: 'p2b' });
      await store.put(key('a', 'p2'), { v: 'p2a' });
      await store.put(key('z', 'p1'), { v: 'p1z' });
      await store.put(key('a', 'p1', 'other'), { v: 'other' });
      assert.deepEqual(
        (await store.list<{ v: string }>('things')).map((i) => i.value.v),
        ['p1z', 'p2a', 'p2b'],
      );
      assert.deepEqual(
        (await store.list<{ v: string }>('things', 'p2')).map((i) => [i.key.row, i.value.v]),
        [
          ['a', 'p2a'],
          ['b', 'p2b'],
        ],
      );
      assert.deepEqual(await store.list('empty-table'), []);
    });

    it('lists one page at a time: at most `limit` items, after a key, across partitions and within one', async () => {
      const keys = ['p1/a', 'p1/b', 'p1/c/d', 'p2/a', 'p2/b', 'p3/a'].map((path) => {
        const [partition, ...row] = path.split('/');
        return key(row.join('/'), partition);
      });
      await store.putAll([...keys, key('a', 'p1', 'other')].map((k) => ({ key: k, value: { at: `${k.partition}:${k.row}` } })));
      const walk = async (partition?: string, limit = 2) => {
        const seen: string[] = [];
        let after: { partition: string; row: string } | undefined;
        for (;;) {
          const page = await store.list<{ at: string }>('things', partition, { limit, ...(after ? { after } : {}) });
          assert.ok(page.length <= limit, `a page of ${page.length} items`);
          if (page.length === 0) return seen;
          seen.push(...page.map((item) => item.value.at));
          after = page[page.length - 1].key;
        }
      };
      const all = ['p1:a', 'p1:b', 'p1:c/d', 'p2:a', 'p2:b', 'p3:a'];
      assert.deepEqual(await walk(), all);
      assert.deepEqual(await walk(undefined, 4), all);
      assert.deepEqual(await walk('p2', 1), ['p2:a', 'p2:b']);
      assert.deepEqual(
        (await store.list<{ at: string }>('things', undefined, { after: { partition: 'p1', row: 'b' } })).map((i) => i.value.at),
        ['p1:c/d', 'p2:a', 'p2:b', 'p3:a'],
      );
      assert.deepEqual(await store.list('things', undefined, { limit: 0 }), []);
      // The same keys without their values, a page at a time as well.
      assert.deepEqual(await store.listKeys('things'), keys);
      assert.deepEqual(await store.listKeys('things', 'p2', { limit: 1, after: { partition: 'p2', row: 'a' } }), [keys[4]]);
    });

    it('keeps keys with awkward characters apart', async () => {
      const odd = key('29:1a-B/c?d#e%f', '19:abc@thread.tacv2', 'things');
      await store.put(odd, { ok: true });
      assert.deepEqual((await store.get(odd))?.value, { ok: true });
      assert.equal(await store.get(key('29:1a-b/c?d#e%f', '19:abc@thread.tacv2')), undefined);
    });

    it('answers ping while open', async () => {
      await store.ping();
    });
  });
}
