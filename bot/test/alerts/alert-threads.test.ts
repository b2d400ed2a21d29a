import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alertThreads } from '../../src/alerts/alert-threads';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { issueEvent } from './issue-event-builder';

const CONVERSATION = '19:threads@thread.tacv2';

describe('alert threads', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-threads-'));
    store = openSqliteStore(path.join(dir, 'store.db'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const thread = (activityId: string) => ({ issueId: '10042', issueKey: 'OPS-42', threaded: true, activityId, postedAt: 1, events: [issueEvent({ key: 'OPS-42' })] });

  it('writes a card thread and its root to one table and partition, so Azure Tables commits them as one transaction', () => {
    const items = alertThreads(store).recordItems(CONVERSATION, thread('1700000000100'));
    assert.equal(items.length, 2);
    assert.equal(new Set(items.map((item) => `${item.key.table}|${item.key.partition}`)).size, 1, JSON.stringify(items.map((item) => item.key)));
  });

  it('finds a thread by its root card, and not once a newer card replaced it', async () => {
    const threads = alertThreads(store);
    await threads.record(CONVERSATION, thread('1700000000100'));
    assert.equal((await threads.byRoot(CONVERSATION, '1700000000100'))?.issueKey, 'OPS-42');
    await threads.record(CONVERSATION, thread('1700000000200'));
    assert.equal(await threads.byRoot(CONVERSATION, '1700000000100'), undefined);
    assert.equal((await threads.byRoot(CONVERSATION, '1700000000200'))?.activityId, '1700000000200');
    assert.equal(await threads.get(CONVERSATION, '10042').then((t) => t?.activityId), '1700000000200');
  });

  it('still finds a root recorded where earlier versions kept roots (their own table)', async () => {
    const threads = alertThreads(store);
    const [threadItem] = threads.recordItems(CONVERSATION, thread('1700000000300'));
    await store.putAll([threadItem, { key: { table: 'alert-thread-roots', partition: encodeURIComponent(CONVERSATION), row: '1700000000300' }, value: { issueId: '10042' } }]);
    assert.equal((await threads.byRoot(CONVERSATION, '1700000000300'))?.issueKey, 'OPS-42');
  });
});
