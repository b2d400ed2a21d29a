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

export interface ConversationReferences {
  save(record: ConversationRecord): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<ConversationRecord | undefined>;
  remove(tenantId: string, conversationId: string): Promise<void>;
  /** The user's personal chat with the bot, found by the user (Entra object id or Teams id) its reference names. */
  personalChat(tenantId: string, userId: string): Promise<ConversationRecord | undefined>;
  /** True for the first caller only, however many install events arrive at once. */
  claimWelcome(tenantId: string, conversationId: string): Promise<boolean>;
}

export function conversationReferences(store: Store, now: () => Date = () => new Date()): ConversationReferences {
  return {
    async save(record) {
      await store.put({ table: TABLE, partition: partitionOf(record.tenantId), row: record.conversationId }, record);
    },
    async get(tenantId, conversationId) {
      return (await store.get<ConversationRecord>({ table: TABLE, partition: partitionOf(tenantId), row: conversationId }))?.value;
    },
    async remove(tenantId, conversationId) {
      await store.delete({ table: TABLE, partition: partitionOf(tenantId), row: conversationId });
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
