import assert from 'node:assert/strict';
import { conversationReferences, type ConversationRecord } from '../../src/conversations/conversation-references';
import type { Store } from '../../src/store/store';
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
});
