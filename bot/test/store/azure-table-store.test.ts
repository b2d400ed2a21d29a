import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { composePartitionKey, encodeAzureKey } from '../../src/store/azure-key-codec';
import { openAzureTableStore, type AzureTableStoreOptions } from '../../src/store/azure-table-store';
import { StoreValueTooLargeError } from '../../src/store/azure-value-properties';
import { openStore } from '../../src/store/open-store';
import { StoreConflictError, type Store } from '../../src/store/store';
import { startAzurite, type Azurite } from '../support/azurite';
import { runStoreContract } from './store.contract';
import { startTableRequestCounter, type TableRequestCounter } from './table-request-counter';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const zeroCounts = () => ({ get: 0, query: 0, insert: 0, update: 0, upsert: 0, delete: 0, batch: 0, other: 0 });
const uniqueTableName = () => `t${randomBytes(8).toString('hex')}`;

describe('Azure Table store on Azurite', () => {
  let azurite: Azurite;
  const opened: Store[] = [];
  const open = async (options: Partial<AzureTableStoreOptions> = {}) => {
    const store = await openAzureTableStore({ connectionString: azurite.connectionString, tableName: uniqueTableName(), ...options });
    opened.push(store);
    return store;
  };
  /** A store whose requests go through a counting front on Azurite, for the tests that count them. */
  const withCountedStore = async (test: (store: Store, counter: TableRequestCounter) => Promise<void>) => {
    const counter = await startTableRequestCounter(azurite.connectionString);
    try {
      await test(await open({ connectionString: counter.connectionString }), counter);
    } finally {
      await counter.close();
    }
  };

  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  runStoreContract('azure (Azurite)', () => open());

  it('lists keys with characters Azure refuses in the order SQLite gives, and returns them unchanged', async () => {
    const store = await open();
    const rows = [
      '29:1a-B/c?d#e%f',
      '29:1a-B.c',
      '29:1a-B0',
      "it's",
      'a\\b',
      'tab\there',
      'del\u007f',
      'c1\u0085',
      'nbsp\u00a0',
      '~x',
      '[y',
      '>z',
      ' lead',
      '"q"',
      '$5',
      '&',
      'é',
      '😀',
    ];
    const partitions = ['19:abc@thread.tacv2', '19:abc@thread.tacv2/x', '19:abc@thread', 'a:1#2', 'a:1?2'];
    for (const partition of partitions) for (const row of rows) await store.put({ table: 'convs', partition, row }, { partition, row });
    await store.put({ table: 'convs\u0000', partition: partitions[0], row: 'other table' }, {});
    await store.put({ table: 'conv', partition: 's' + partitions[0], row: 'prefix table' }, {});

    const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    const expected = [...partitions].sort(byCodePoint).flatMap((partition) => [...rows].sort(byCodePoint).map((row) => ({ partition, row })));
    const listed = await store.list<{ partition: string; row: string }>('convs');
    assert.deepEqual(
      listed.map((i) => ({ partition: i.key.partition, row: i.key.row })),
      expected,
    );
    assert.ok(listed.every((i) => i.key.table === 'convs' && i.value.partition === i.key.partition && i.value.row === i.key.row));
    assert.deepEqual(
      (await store.list('convs', 'a:1#2')).map((i) => i.key.row),
      [...rows].sort(byCodePoint),
    );

    const odd = { table: 'convs', partition: '19:abc@thread.tacv2', row: '29:1a-B/c?d#e%f' };
    assert.deepEqual((await store.get(odd))?.value, { partition: odd.partition, row: odd.row });
    assert.equal(await store.delete(odd), true);
    assert.equal(await store.get(odd), undefined);
  });

  it('stores a value of about 100 KB across several properties and reads it back whole', async () => {
    const store = await open({ tableName: 'bigvalues' });
    // An emoji straddling the first 32,000-character chunk boundary of the JSON, which starts
    // with the 9 characters {"text":", checks that no surrogate pair is split.
    const text = 'x'.repeat(32_000 - 1 - '{"text":"'.length) + '😀' + 'y'.repeat(70_000);
    const key = { table: 'cards', partition: '19:abc@thread.tacv2', row: 'PROJ-1' };
    const written = await store.put(key, { text, list: Array.from({ length: 500 }, (_, i) => ({ i })) });
    const read = await store.get<{ text: string; list: Array<{ i: number }> }>(key);
    assert.equal(read?.value.text, text);
    assert.equal(read?.value.list.length, 500);
    assert.equal(read?.etag, written.etag);
    assert.equal((await store.list<{ text: string }>('cards'))[0].value.text, text);

    const raw = TableClient.fromConnectionString(azurite.connectionString, 'bigvaluescards', { allowInsecureConnection: true });
    const [entity] = await collect(raw.listEntities<Record<string, unknown>>());
    const chunks = Object.keys(entity).filter((name) => /^json\d+$/.test(name));
    assert.ok(chunks.length >= 4, `expected the value spread over several properties, got ${chunks.join(', ')}`);
    assert.ok(chunks.every((name) => (entity[name] as string).length <= 32_000));
    assert.ok(
      chunks.every((name) => !/[\ud800-\udbff]$/.test(entity[name] as string)),
      'a chunk ends inside a surrogate pair',
    );

    // A smaller value replaces every chunk of the bigger one.
    await store.put(key, { text: 'short' });
    assert.deepEqual((await store.get(key))?.value, { text: 'short' });
    const [after] = await collect(raw.listEntities<Record<string, unknown>>());
    assert.deepEqual(
      Object.keys(after).filter((name) => /^json\d+$/.test(name)),
      ['json0'],
    );
  });

  it('refuses a value too big for one entity with a clear error and keeps the previous value', async () => {
    const store = await open();
    const key = { table: 'cards', partition: 'p', row: 'r' };
    await store.put(key, { v: 1 });
    await assert.rejects(store.put(key, { text: 'x'.repeat(600_000) }), (error: unknown) => {
      assert.ok(error instanceof StoreValueTooLargeError);
      assert.match(error.message, /cards\/p\/r is 600\d+ characters of JSON; Azure Tables holds at most 480000/);
      return true;
    });
    assert.deepEqual((await store.get(key))?.value, { v: 1 });
  });

  it('refuses a key too long for Azure Tables before sending it', async () => {
    const store = await open();
    const key = { table: 'convs', partition: 'p', row: 'a:' + '/'.repeat(300) };
    await assert.rejects(store.put(key, {}), /too long for Azure Tables \(602 > 512 characters once encoded\)/);
    assert.deepEqual(await store.list('convs'), []);
  });

  it('lets two instances on one account see each other’s writes and ETag conflicts', async () => {
    const tableName = uniqueTableName();
    const a = await open({ tableName });
    const b = await open({ tableName });
    const key = { table: 'outbox', partition: '19:abc@thread.tacv2', row: '0001' };

    const first = await a.put(key, { attempts: 0 });
    const seen = await b.get<{ attempts: number }>(key);
    assert.deepEqual(seen?.value, { attempts: 0 });
    assert.equal(seen?.etag, first.etag);

    const claimed = await b.put(key, { attempts: 1 }, { ifMatch: first.etag });
    await assert.rejects(a.put(key, { attempts: 1 }, { ifMatch: first.etag }), StoreConflictError);
    await assert.rejects(a.delete(key, { ifMatch: first.etag }), StoreConflictError);
    assert.equal((await a.get(key))?.etag, claimed.etag);

    const lease = { table: 'leases', partition: 'poller', row: 'site-1' };
    const race = await Promise.allSettled([a, b, a, b].map((store, i) => store.put(lease, { owner: i }, { ifNoneMatch: '*' })));
    assert.equal(race.filter((r) => r.status === 'fulfilled').length, 1);
    assert.ok(race.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof StoreConflictError));

    assert.equal(await a.delete(key, { ifMatch: claimed.etag }), true);
    assert.equal(await b.get(key), undefined);
    await assert.rejects(b.put(key, { attempts: 2 }, { ifMatch: claimed.etag }), StoreConflictError);
    await assert.rejects(b.delete(key, { ifMatch: claimed.etag }), StoreConflictError);
    assert.equal(await b.delete(key), false);
    assert.deepEqual(await b.list('outbox'), []);
  });

  it('writes a putAll on one partition as entity group transactions: one request per 100 items, and a refused one writes none of its items', async () => {
    await withCountedStore(async (store, counter) => {
      const key = (row: string, table = 'sent') => ({ table, partition: '19:abc@thread.tacv2', row });
      const existing = await store.put(key('r000'), { n: -1 });
      // The first use of a logical table creates its Azure table: done here, so only the putAll is counted.
      await store.delete(key('gone', 'outbox'));
      counter.reset();
      const rows = Array.from({ length: 150 }, (_, i) => `r${String(i).padStart(3, '0')}`);
      const written = await store.putAll(
        rows.map((row, i) => ({ key: key(row), value: { n: i }, ...(i === 0 ? { options: { ifMatch: existing.etag } } : {}) })),
        [key('r149'), key('gone', 'outbox')],
      );
      // 100 items, then 49 items and the delete of one of them (the same key twice cannot share a
      // transaction), then the delete on another partition (a missing key is fine).
      assert.deepEqual(counter.counts(), { ...zeroCounts(), batch: 2, delete: 2 });
      assert.deepEqual(
        (await store.list<{ n: number }>('sent')).map((item) => item.value.n),
        rows.slice(0, 149).map((_, i) => i),
      );
      for (const item of written.slice(0, 149)) assert.equal((await store.get(item.key))?.etag, item.etag);

      // All or nothing within the partition: the stale ETag on the last item keeps the first from being written.
      await assert.rejects(
        store.putAll([
          { key: key('fresh'), value: { n: 1 } },
          { key: key('r001'), value: { n: 2 }, options: { ifMatch: written[1].etag } },
          { key: key('r002'), value: { n: 3 }, options: { ifMatch: existing.etag } },
        ]),
        StoreConflictError,
      );
      assert.equal(await store.get(key('fresh')), undefined);
      assert.deepEqual((await store.get(key('r001')))?.value, { n: 1 });
    });
  });

  it('inserts new items of one partition in one transaction, skipping keys that exist and items whose marker exists', async () => {
    await withCountedStore(async (store, counter) => {
      const key = (row: string, table = 'inbox') => ({ table, partition: 'https://acme.atlassian.net', row });
      await store.put(key('e03'), { n: -3 });
      await store.put(key('e11'), { n: -11 });
      for (const row of ['e05', 'e06', 'e17']) await store.put(key(row, 'seen'), { at: 1 });
      counter.reset();
      const rows = Array.from({ length: 20 }, (_, i) => `e${String(i).padStart(2, '0')}`);
      const written = await store.insertNew(rows.map((row, i) => ({ key: key(row), value: { n: i }, unlessExists: key(row, 'seen') })));
      // One transaction refused for a key that exists (the service names it), one range query for
      // every other key of it that exists, the rest taken; two queries for the 18 inserted items'
      // markers; the three whose marker exists removed again.
      assert.deepEqual(counter.counts(), { ...zeroCounts(), batch: 2, query: 3, delete: 3 });
      const skipped = ['e03', 'e05', 'e06', 'e11', 'e17'];
      assert.deepEqual(
        written.map((item, i) => (item ? rows[i] : undefined)),
        rows.map((row) => (skipped.includes(row) ? undefined : row)),
      );
      assert.deepEqual(
        (await store.list<{ n: number }>('inbox')).map((item) => [item.key.row, item.value.n]),
        rows.filter((row) => !['e05', 'e06', 'e17'].includes(row)).map((row) => [row, ['e03', 'e11'].includes(row) ? -Number(row.slice(1)) : Number(row.slice(1))]),
      );
      for (const item of written) if (item) assert.equal((await store.get(item.key))?.etag, item.etag);
    });
  });

  it('drops every key of a refused transaction that exists, or that a delete misses, after one range query, not one refused round trip each', async () => {
    await withCountedStore(async (store, counter) => {
      const key = (row: string) => ({ table: 'outbox', partition: '19:abc@thread.tacv2', row });
      const rows = Array.from({ length: 30 }, (_, i) => `r${String(i).padStart(2, '0')}`);
      // Twenty of the thirty exist, as when an event batch is routed a second time.
      await store.putAll(rows.slice(0, 20).map((row) => ({ key: key(row), value: { n: -1 } })));
      counter.reset();
      const inserted = await store.insertNew(rows.map((row, i) => ({ key: key(row), value: { n: i } })));
      assert.deepEqual(
        inserted.map((item) => item?.key.row),
        rows.map((row, i) => (i < 20 ? undefined : row)),
      );
      assert.deepEqual(counter.byTable(), [
        ['batch:create outbox', 2],
        ['query:keys outbox', 1],
      ]);

      // Deletes of thirty keys of which only ten exist (the others were removed by another instance), after a write.
      await store.putAll([], rows.slice(10).map(key));
      counter.reset();
      await store.putAll([{ key: key('written'), value: { n: 1 } }], rows.map(key));
      assert.deepEqual(counter.byTable(), [
        ['batch:put outbox', 2],
        ['query:keys outbox', 1],
      ]);
      assert.deepEqual(
        (await store.list('outbox')).map((item) => item.key.row),
        ['written'],
      );
    });
  });

  it('reads one page of the range at most when a refused transaction spans many other rows (a day of claimed ids)', async () => {
    await withCountedStore(async (store, counter) => {
      const key = (row: string) => ({ table: 'seen', partition: 'https://acme.atlassian.net', row });
      const between = Array.from({ length: 1_200 }, (_, i) => key(`m${String(i).padStart(4, '0')}`));
      for (let i = 0; i < between.length; i += 100) await store.putAll(between.slice(i, i + 100).map((k) => ({ key: k, value: 1 })));
      await store.put(key('a-taken'), 1);
      counter.reset();
      const written = await store.insertNew(['a-taken', 'a-new', 'z-new'].map((row) => ({ key: key(row), value: 2 })));
      assert.deepEqual(
        written.map((item) => item?.key.row),
        [undefined, 'a-new', 'z-new'],
      );
      assert.deepEqual(counter.byTable(), [
        ['batch:create seen', 2],
        ['query:keys seen', 1],
      ]);
    });
  });

  it('merges insertNew calls made while others run into one call: one transaction for many callers, each told its own outcome', async () => {
    await withCountedStore(async (store, counter) => {
      const key = (row: string) => ({ table: 'inbox', partition: 'https://acme.atlassian.net', row });
      await store.put(key('e07'), { n: -7 });
      counter.reset();
      // Twenty callers of one row each, as twenty webhooks are: two go at once, the other eighteen wait and go together.
      const rows = Array.from({ length: 20 }, (_, i) => `e${String(i).padStart(2, '0')}`);
      const calls = rows.map((row, i) => store.insertNew([{ key: key(row), value: { n: i } }]));
      // A second caller of a key one of the waiting calls holds: the earlier call wins, as within one call.
      const late = store.insertNew([{ key: key('e15'), value: { n: 99 } }]);
      const written = await Promise.all(calls);
      assert.deepEqual(
        written.map(([item]) => item?.key.row),
        rows.map((row) => (row === 'e07' ? undefined : row)),
      );
      assert.deepEqual(await late, [undefined]);
      // Two single inserts, then one transaction refused for e07 (the service names it) and the same without it,
      // and the repeated key alone; not twenty-one requests.
      assert.ok(counter.total() <= 6, `requests: ${JSON.stringify(counter.counts())}`);
      assert.equal((await store.get<{ n: number }>(key('e15')))?.value.n, 15);
      assert.equal((await store.get<{ n: number }>(key('e07')))?.value.n, -7);
    });
  });

  it('retries a throttled or failing request within the retry policy', async () => {
    let refusals = 2;
    const target = new URL(/TableEndpoint=([^;]+)/.exec(azurite.connectionString)![1]);
    const seen: number[] = [];
    // A loopback proxy that answers 503 and then 429 before letting a request through.
    const proxy = http.createServer((req, res) => {
      if (refusals > 0) {
        const status = refusals-- === 2 ? 503 : 429;
        seen.push(status);
        // Two calls: other suites in the same run wrap writeHead and drop its return value.
        res.writeHead(status, { 'retry-after': '0' });
        res.end();
        req.resume();
        return;
      }
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as import('node:net').AddressInfo;
      const connectionString = azurite.connectionString.replace(target.host, `127.0.0.1:${port}`);
      const store = await open({ connectionString, retry: { retryDelayInMs: 10, maxRetryDelayInMs: 50 } });
      await store.put({ table: 't', partition: 'p', row: 'r' }, { ok: true });
      assert.deepEqual(seen, [503, 429]);
      assert.deepEqual((await store.get({ table: 't', partition: 'p', row: 'r' }))?.value, { ok: true });
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('fails to open, and ping fails, when the service does not answer', async () => {
    const store = await open();
    await store.ping();
    const dead = azurite.connectionString.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:9');
    // A short request timeout: the Azure SDK leaves its timeout timer running after a refused
    // connection, and the default 10 s one would outlive this suite (a leaked handle).
    await assert.rejects(open({ connectionString: dead, retry: { maxRetries: 0 }, requestTimeoutMs: 500 }));
    await store.close();
    await assert.rejects(store.ping(), /closed/);
  });

  it('keeps each logical table in an Azure table of its own, so a query reads that table only', async () => {
    const base = uniqueTableName();
    const store = await open({ tableName: base });
    const put = (table: string, row: string) => store.put({ table, partition: 'p', row }, { table, row });
    // 'alert-outbox' and 'alertoutbox' share an Azure table name: their keys still keep them apart.
    await Promise.all([put('alert-outbox', 'a'), put('alert-outbox-sent', 'b'), put('alertoutbox', 'c'), put('alert-outbox-sent', 'd')]);
    const service = TableServiceClient.fromConnectionString(azurite.connectionString, { allowInsecureConnection: true });
    const names = (await collect(service.listTables())).map((t) => t.name).filter((name) => name?.startsWith(base));
    assert.deepEqual(names.sort(), [`${base}alertoutbox`, `${base}alertoutboxsent`]);
    const raw = TableClient.fromConnectionString(azurite.connectionString, `${base}alertoutboxsent`, { allowInsecureConnection: true });
    assert.deepEqual(
      (await collect(raw.listEntities())).map((e) => e.rowKey),
      ['b', 'd'],
    );
    assert.deepEqual(
      (await store.list<{ row: string }>('alert-outbox')).map((i) => i.value.row),
      ['a'],
    );
    assert.deepEqual(
      (await store.list<{ row: string }>('alertoutbox')).map((i) => i.value.row),
      ['c'],
    );
    assert.deepEqual(
      (await store.listKeys('alert-outbox-sent')).map((k) => k.row),
      ['b', 'd'],
    );
  });

  it('moves what an earlier version kept in its one table into the logical tables on open, keeping newer copies', async () => {
    const base = uniqueTableName();
    const legacy = TableClient.fromConnectionString(azurite.connectionString, base, { allowInsecureConnection: true });
    await legacy.createTable();
    // As the single-table version wrote them: the logical table leading the PartitionKey, the value in json0.
    const old = (table: string, partition: string, row: string, value: unknown) =>
      legacy.createEntity({ partitionKey: composePartitionKey(table, partition), rowKey: encodeAzureKey(row), json0: JSON.stringify(value) });
    const conversation = '19:abc/def?@thread.tacv2';
    await Promise.all([
      old('connections', 'tenant', 'user', { token: 'sealed' }),
      old('alert-outbox', conversation, 'e1', { n: 1 }),
      old('alert-outbox', conversation, 'e2', { n: 2 }),
      ...Array.from({ length: 150 }, (_, i) => old('alert-outbox-sent', conversation, `s${String(i).padStart(3, '0')}`, { i })),
    ]);
    // A copy already in the new table (another instance started first and wrote since) is newer: it stays.
    const outbox = TableClient.fromConnectionString(azurite.connectionString, `${base}alertoutbox`, { allowInsecureConnection: true });
    await outbox.createTable();
    await outbox.createEntity({ partitionKey: composePartitionKey('alert-outbox', conversation), rowKey: 'e2', json0: JSON.stringify({ n: 22 }) });

    const store = await open({ tableName: base });
    assert.deepEqual((await store.get({ table: 'connections', partition: 'tenant', row: 'user' }))?.value, { token: 'sealed' });
    assert.deepEqual(
      (await store.list<{ n: number }>('alert-outbox', conversation)).map((i) => [i.key.row, i.value.n]),
      [
        ['e1', 1],
        ['e2', 22],
      ],
    );
    assert.equal((await store.listKeys('alert-outbox-sent')).length, 150);
    assert.deepEqual(await collect(legacy.listEntities()), []);
    // Written through the store, moved entities behave as any other.
    const [first] = await store.list('alert-outbox', conversation);
    await store.put(first.key, { n: 3 }, { ifMatch: first.etag });

    // The next instance to open finds nothing left to move and changes nothing.
    const again = await open({ tableName: base });
    assert.deepEqual((await again.get({ table: 'alert-outbox', partition: conversation, row: 'e1' }))?.value, { n: 3 });
  });

  it('is what openStore gives for STORE=azure', async () => {
    const store = await openStore({ kind: 'azure', connectionString: azurite.connectionString });
    opened.push(store);
    const key = { table: 'things', partition: 'p', row: uniqueTableName() };
    await store.put(key, { via: 'openStore' });
    const raw = TableClient.fromConnectionString(azurite.connectionString, 'jirateamsthings', { allowInsecureConnection: true });
    const [entity] = await collect(raw.listEntities({ queryOptions: { filter: `RowKey eq '${key.row}'` } }));
    assert.equal(entity.json0, JSON.stringify({ via: 'openStore' }));
  });
});
