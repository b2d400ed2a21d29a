import { LRUCache } from 'lru-cache';
import type { Store } from '../store/store';
import { StoreConflictError } from '../store/store';

/** What the service keeps about a conversation the app is installed in, to message it later. */
export interface ConversationRecord {
  conversationId: string;
  tenantId: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
  serviceUrl: string;
  teamId?: string;
  /** botbuilder's ConversationReference as JSON, for proactive sends. */
  reference: Record<string, unknown>;
  updatedAt: string;
}

const TABLE = 'conversations';
const WELCOMES = 'welcomes';
const partitionOf = (tenantId: string) => tenantId || 'no-tenant';
/** Conversations whose record stays in memory (about a kilobyte each); past this the least recently read goes. */
const KEPT_RECORDS = 4096;
/**
 * How long a kept record serves reads. Installs and uninstalls through this process drop it at
 * once; one through another instance sharing the store shows here within this long.
 */
const KEPT_MS = 30_000;

export interface ConversationReferences {
  save(record: ConversationRecord): Promise<void>;
  /**
   * The stored record, read once and then kept for a while (KEPT_MS): an alert burst reads each
   * conversation's reference once, not once per send. Callers must not change what it returns.
   */
  get(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined>;
  /** Drops the kept copy, so the next get reads the store (Teams said the conversation is gone). */
  forget(tenantId: string, conversationId: string): void;
  remove(tenantId: string, conversationId: string): Promise<void>;
  /** The user's personal chat with the bot, found by the user (Entra object id or Teams id) its reference names. */
  personalChat(tenantId: string, userId: string): Promise<ConversationRecord | undefined>;
  /** True for the first caller only, however many install events arrive at once. */
  claimWelcome(tenantId: string, conversationId: string): Promise<boolean>;
}

export function conversationReferences(store: Store, now: () => Date = () => new Date()): ConversationReferences {
  /** Records read. Absence is never kept: an install elsewhere must show at once. */
  const kept = new LRUCache<string, ConversationRecord>({
    max: KEPT_RECORDS,
    ttl: KEPT_MS,
    // Read the clock at every check: by default lru-cache keeps a reading for a millisecond behind a timer.
    ttlResolution: 0,
    perf: { now: () => now().getTime() },
  });
  /** Bumped by every save and remove, so a read that overlapped one does not keep what it read. */
  let changes = 0;
  const keyOf = (tenantId: string, conversationId: string) => `${partitionOf(tenantId)}\n${conversationId}`;
  const forget = (tenantId: string, conversationId: string) => {
    changes += 1;
    kept.delete(keyOf(tenantId, conversationId));
  };
  return {
    async save(record) {
      forget(record.tenantId, record.conversationId);
      await store.put({ table: TABLE, partition: partitionOf(record.tenantId), row: record.conversationId }, record);
      // A read during the write may have kept the old record.
      forget(record.tenantId, record.conversationId);
    },
    async get(tenantId, conversationId) {
      const key = keyOf(tenantId, conversationId);
      const hit = kept.get(key);
      if (hit) return hit;
      const readAt = now().getTime();
      const before = changes;
      const record = (await store.get<ConversationRecord>({ table: TABLE, partition: partitionOf(tenantId), row: conversationId }))?.value;
      // Aged from before the read: a change elsewhere during it shows within KEPT_MS all the same.
      if (record && changes === before) kept.set(key, record, { start: readAt });
      return record;
    },
    forget,
    async remove(tenantId, conversationId) {
      forget(tenantId, conversationId);
      await store.delete({ table: TABLE, partition: partitionOf(tenantId), row: conversationId });
      forget(tenantId, conversationId);
      await store.delete({ table: WELCOMES, partition: partitionOf(tenantId), row: conversationId });
    },
    async personalChat(tenantId, userId) {
      // A scan of the tenant's conversations: personal notifications ask once per recipient and batch.
      const items = await store.list<ConversationRecord>(TABLE, partitionOf(tenantId));
      return items
        .map((item) => item.value)
        .find((record) => {
          if (record.conversationType !== 'personal') return false;
          const user = record.reference.user as { id?: string; aadObjectId?: string } | undefined;
          return user?.aadObjectId === userId || user?.id === userId;
        });
    },
    async claimWelcome(tenantId, conversationId) {
      try {
        await store.put({ table: WELCOMES, partition: partitionOf(tenantId), row: conversationId }, { welcomedAt: now().toISOString() }, { ifNoneMatch: '*' });
        return true;
      } catch (error) {
        if (error instanceof StoreConflictError) return false;
        throw error;
      }
    },
  };
}
