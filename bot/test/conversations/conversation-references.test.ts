import assert from 'node:assert/strict';
import { conversationReferences, type ConversationRecord } from '../../src/conversations/conversation-references';
import type { ItemKey, Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';

const record = (conversationId: string, conversationType: ConversationRecord['conversationType'], user: Record<string, string>, tenantId = 'tenant-1'): ConversationRecord => ({
  conversationId,
  tenantId,
  conversationType,
  serviceUrl: 'https://smba.example/',
  reference: { conversation: { id: conversationId }, user },
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('conversationReferences', () => {
  let store: Store;
  beforeEach(() => (store = openTestStore()));
  afterEach(() => store.close());

  it("finds a user's personal chat by Entra object id or Teams id, within the tenant only", async () => {
    const conversations = conversationReferences(store);
    await conversations.save(record('19:channel@thread.tacv2', 'channel', { id: '29:alice', aadObjectId: 'aad-alice' }));
    await conversations.save(record('a:1alice', 'personal', { id: '29:alice', aadObjectId: 'aad-alice' }));
    await conversations.save(record('a:1bob', 'personal', { id: '29:bob' }));
    await conversations.save(record('a:1alice-elsewhere', 'personal', { id: '29:alice', aadObjectId: 'aad-alice' }, 'tenant-2'));

    assert.equal((await conversations.personalChat('tenant-1', 'aad-alice'))?.conversationId, 'a:1alice');
    assert.equal((await conversations.personalChat('tenant-1', '29:bob'))?.conversationId, 'a:1bob');
    assert.equal((await conversations.personalChat('tenant-2', 'aad-alice'))?.conversationId, 'a:1alice-elsewhere');
    assert.equal(await conversations.personalChat('tenant-1', 'aad-carol'), undefined);
  });

  it('keeps a read record for 30 s, drops it on save and remove, and never keeps an absence', async () => {
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const conversations = conversationReferences(store, () => new Date(now));
    const reads: string[] = [];
    const get = store.get.bind(store);
    store.get = async (key) => {
      reads.push(key.row);
      return get(key);
    };
    const channel = record('19:channel@thread.tacv2', 'channel', { id: '29:alice' });

    assert.equal(await conversations.get('tenant-1', channel.conversationId), undefined);
    await conversations.save(channel);
    assert.equal((await conversations.get('tenant-1', channel.conversationId))?.serviceUrl, 'https://smba.example/', 'an absence was not kept');
    await conversations.get('tenant-1', channel.conversationId);
    assert.equal(reads.length, 2, 'the second get was served from memory');

    await conversations.save({ ...channel, serviceUrl: 'https://smba.example/emea/' });
    assert.equal((await conversations.get('tenant-1', channel.conversationId))?.serviceUrl, 'https://smba.example/emea/', 'a save drops the kept record');

    // Another instance changes the store directly: seen once the kept record is older than 30 s.
    await store.put({ table: 'conversations', partition: 'tenant-1', row: channel.conversationId }, { ...channel, serviceUrl: 'https://smba.example/apac/' });
    now += 29_000;
    assert.equal((await conversations.get('tenant-1', channel.conversationId))?.serviceUrl, 'https://smba.example/emea/');
    now += 1_001;
    assert.equal((await conversations.get('tenant-1', channel.conversationId))?.serviceUrl, 'https://smba.example/apac/');

    await conversations.remove('tenant-1', channel.conversationId);
    assert.equal(await conversations.get('tenant-1', channel.conversationId), undefined, 'a remove drops the kept record');
  });

  it('ages a kept record from the start of its read, so a slow read does not keep it longer', async () => {
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const conversations = conversationReferences(store, () => new Date(now));
    const channel = record('19:channel@thread.tacv2', 'channel', { id: '29:alice' });
    await conversations.save(channel);
    const get = store.get.bind(store);
    let reads = 0;
    store.get = async <T>(key: ItemKey) => {
      reads += 1;
      now += 10_000;
      return get<T>(key);
    };
    await conversations.get('tenant-1', channel.conversationId);
    now += 20_001;
    await conversations.get('tenant-1', channel.conversationId);
    assert.equal(reads, 2, 'read again 30 s after the first read began');
  });

  it('keeps at most 4096 records, dropping the least recently read', async () => {
    const conversations = conversationReferences(store);
    const reads: string[] = [];
    // Records made up on read: the bound is about memory, whatever the store holds.
    store.get = async <T>(key: ItemKey) => {
      reads.push(key.row);
      return { key, value: record(key.row, 'channel', { id: '29:alice' }) as T, etag: '1' };
    };
    const read = (n: number) => conversations.get('tenant-1', `19:c${n}@thread.tacv2`);
    for (let n = 0; n < 4096; n++) await read(n);
    await read(0);
    assert.equal(reads.length, 4096, 'all 4096 kept');
    await read(4096);
    await read(0);
    assert.equal(reads.length, 4097, 'conversation 0, read again, was kept');
    await read(1);
    assert.deepEqual(reads.slice(4097), ['19:c1@thread.tacv2'], 'conversation 1, read least recently, was dropped');
  });

  it('does not keep what a read returned when a save overlapped it', async () => {
    const conversations = conversationReferences(store);
    const channel = record('19:channel@thread.tacv2', 'channel', { id: '29:alice' });
    await conversations.save(channel);
    const get = store.get.bind(store);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    store.get = async <T>(key: ItemKey) => {
      const item = await get<T>(key);
      await held;
      return item;
    };
    const slow = conversations.get('tenant-1', channel.conversationId);
    store.get = get;
    await conversations.save({ ...channel, serviceUrl: 'https://smba.example/emea/' });
    release();
    assert.equal((await slow)?.serviceUrl, 'https://smba.example/', 'the read saw the store before the save');
    assert.equal((await conversations.get('tenant-1', channel.conversationId))?.serviceUrl, 'https://smba.example/emea/', 'and was not kept');
  });
});
