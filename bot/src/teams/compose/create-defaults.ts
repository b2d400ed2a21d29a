import type { ConnectionOwner } from '../../connections/connection';
import type { Store } from '../../store/store';

/** The project and type a user last created an issue with in one conversation, and their recent projects. */
export interface CreateDefaults {
  projectKey?: string;
  issueTypeId?: string;
  /** Most recent first, across conversations. */
  recentProjectKeys: string[];
}

const TABLE = 'createDefaults';
const RECENT_PROJECTS = 5;

export interface CreateDefaultsRepository {
  get(owner: ConnectionOwner, conversationId: string): Promise<CreateDefaults>;
  remember(owner: ConnectionOwner, conversationId: string, used: { projectKey: string; issueTypeId: string }): Promise<void>;
}

/** Keeps create defaults per user and conversation, and recent projects per user. */
export function createDefaultsRepository(store: Store): CreateDefaultsRepository {
  const partition = (owner: ConnectionOwner) => `${owner.tenantId || 'no-tenant'}|${owner.userId}`;
  // Conversation ids carry ';' and ':' but no '|' or '/', which table stores reserve.
  const row = (conversationId: string) => `c|${conversationId.replace(/[/\\#?]/g, '_')}`;
  const RECENT = 'recent';
  return {
    async get(owner, conversationId) {
      const [here, recent] = await Promise.all([
        store.get<{ projectKey: string; issueTypeId: string }>({ table: TABLE, partition: partition(owner), row: row(conversationId) }),
        store.get<{ projectKeys: string[] }>({ table: TABLE, partition: partition(owner), row: RECENT }),
      ]);
      return { ...here?.value, recentProjectKeys: recent?.value.projectKeys ?? [] };
    },
    async remember(owner, conversationId, used) {
      await store.put({ table: TABLE, partition: partition(owner), row: row(conversationId) }, used);
      const key = { table: TABLE, partition: partition(owner), row: RECENT };
      const recent = (await store.get<{ projectKeys: string[] }>(key))?.value.projectKeys ?? [];
      const projectKeys = [used.projectKey, ...recent.filter((k) => k !== used.projectKey)].slice(0, RECENT_PROJECTS);
      await store.put(key, { projectKeys });
    },
  };
}
