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
    async claimWelcome(tenantId, conversationId) {
      try {
        await store.put(
          { table: WELCOMES, partition: partitionOf(tenantId), row: conversationId },
          { welcomedAt: now().toISOString() },
          { ifNoneMatch: '*' },
        );
        return true;
      } catch (error) {
        if (error instanceof StoreConflictError) return false;
        throw error;
      }
    },
  };
}
