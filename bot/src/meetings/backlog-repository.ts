import { randomBytes } from 'node:crypto';
import { storeKeyPart } from '../store/store-key-part';
import type { Store } from '../store/store';
import type { Backlog, BacklogSource } from './backlog';

const TABLE = 'meetingBacklogs';

/** A backlog as stored: the contract's Backlog plus who made it, for the tenant it belongs to. */
export interface StoredBacklog extends Omit<Backlog, 'source'> {
  /** Absent on backlogs saved before pickers: a typed query. */
  source?: BacklogSource;
  tenantId: string;
  /** The creator's Entra object id; never shown, kept to tell creators apart. */
  createdByUserId: string;
  /**
   * The Teams conversation the backlog belongs to (meeting chat, group chat or team), whose
   * members alone may use it; absent: only its creator may (a backlog set up outside any
   * conversation, or before backlogs were bound to one).
   */
  conversationId?: string;
  createdAt: string;
}

export interface BacklogRepository {
  /** Only within the tenant: a backlog id from another tenant is simply not found. */
  get(tenantId: string, id: string): Promise<StoredBacklog | undefined>;
  create(input: Omit<StoredBacklog, 'id' | 'createdAt' | 'updatedAt'>, now: Date): Promise<StoredBacklog>;
  /** Saves a new name, JQL and source; undefined when the backlog is gone. */
  update(tenantId: string, id: string, change: Pick<Backlog, 'name' | 'jql'> & { source?: BacklogSource }, now: Date): Promise<StoredBacklog | undefined>;
}

/** Backlog ids go into tab URLs: 16 url-safe characters, unguessable. */
export const BACKLOG_ID = /^[A-Za-z0-9_-]{16}$/;

/** Backlogs in the Store, one partition per tenant. */
export function backlogRepository(store: Store): BacklogRepository {
  const key = (tenantId: string, id: string) => ({ table: TABLE, partition: storeKeyPart(tenantId), row: id });
  return {
    async get(tenantId, id) {
      if (!BACKLOG_ID.test(id)) return undefined;
      return (await store.get<StoredBacklog>(key(tenantId, id)))?.value;
    },
    async create(input, now) {
      const at = now.toISOString();
      const backlog: StoredBacklog = { ...input, id: randomBytes(12).toString('base64url'), createdAt: at, updatedAt: at };
      await store.put(key(backlog.tenantId, backlog.id), backlog, { ifNoneMatch: '*' });
      return backlog;
    },
    async update(tenantId, id, change, now) {
      if (!BACKLOG_ID.test(id)) return undefined;
      const item = await store.get<StoredBacklog>(key(tenantId, id));
      if (!item) return undefined;
      const backlog: StoredBacklog = { ...item.value, ...change, updatedAt: now.toISOString() };
      // Two attendees saving at once: the later one wins, as when they edit any Jira field.
      await store.put(key(tenantId, id), backlog);
      return backlog;
    },
  };
}

/** The contract's view of a stored backlog: what every attendee may see. */
export function publicBacklog(backlog: StoredBacklog): Backlog {
  const { id, name, jql, siteUrl, createdBy, updatedAt } = backlog;
  return { id, name, jql, source: backlog.source ?? { kind: 'jql' }, siteUrl, createdBy, updatedAt };
}
