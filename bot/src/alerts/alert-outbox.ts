import { StoreConflictError, type ItemKey, type PutItem, type Store } from '../store/store';
import { storeLeases, type StoreLeases } from '../store/store-lease';
import type { IssueEvent } from './issue-event';
import { storeKeyPart } from '../store/store-key-part';
import { groupCommit } from '../store/group-commit';

/** A conversation an alert goes to; the stored conversation reference is looked up at send time. */
export interface AlertTarget {
  tenantId: string;
  conversationId: string;
}

/** Where one event goes: a conversation, the subscriptions that chose it, and whether it threads. */
export interface AlertRoute {
  target: AlertTarget;
  subscriptionIds: string[];
  /** Two-way threads: a comment on an issue already posted here goes into that card's thread. */
  threaded?: boolean;
}

export type OutboxState = 'pending' | 'sent' | 'parked';

export interface OutboxFailure {
  /** `TEAMS_429`, `TEAMS_503`, `NETWORK`, `ALERT_CONVERSATION_UNKNOWN`... */
  code: string;
  status?: number;
  at: number;
}

export interface OutboxEntry {
  eventId: string;
  target: AlertTarget;
  event: IssueEvent;
  subscriptionIds: string[];
  threaded?: boolean;
  state: OutboxState;
  /** Failed sends so far. */
  attempts: number;
  /** Epoch ms before which the row is not tried (backoff, or the gather delay for digests). */
  notBefore: number;
  /**
   * Set just before the send and never cleared by it: the first write after a send moves the row
   * to the sent table. So a row still marked when its conversation changes owner is the one send
   * that may have reached Teams before its worker died; nothing else can be repeated.
   */
  sending?: { owner: string; at: number };
  lastError?: OutboxFailure;
  sent?: { activityId: string; at: number; mode: 'post' | 'update' | 'digest' | 'reply' };
  enqueuedAt: number;
}

export interface OutboxRow {
  key: ItemKey;
  entry: OutboxEntry;
  etag: string;
}

export const OUTBOX_TABLE = 'alert-outbox';
/**
 * Sent rows move here (same keys), so a conversation's outbox partition holds only work to do
 * and the worker's listing stays small however much a channel received today.
 */
export const SENT_TABLE = 'alert-outbox-sent';
/** Leases naming which instance sends to a conversation (row: the conversation id). */
export const OWNERS_TABLE = 'alert-outbox-owners';

/** Of the event, what a sent record keeps: which change and issue it was, not what the card said. */
type SentEvent = Pick<IssueEvent, 'id' | 'site' | 'source' | 'occurredAt'> & { issue: Pick<IssueEvent['issue'], 'id' | 'key'> };

/**
 * A sent alert as the sent table keeps it: enough to stop it going out again (its key), to count
 * the send in Teams' windows after a restart or takeover (target and time) and to say which change
 * went where. The event itself is not copied: a row's event is about a kilobyte (summary, changes,
 * comment text), the card thread keeps what a card shows, and message text kept for two hours only
 * for this would be personal data held for nothing. One write per send stays smaller.
 */
type SentRecord = Omit<OutboxEntry, 'event' | 'sending'> & { event: SentEvent; state: 'sent'; sent: NonNullable<OutboxEntry['sent']> };

function sentRecord(entry: OutboxEntry, sent: NonNullable<OutboxEntry['sent']>): SentRecord {
  const { sending: _sending, event, ...rest } = entry;
  const { id, site, source, occurredAt, issue } = event;
  return { ...rest, state: 'sent', sent, event: { id, site, source, occurredAt, issue: { id: issue.id, key: issue.key } } };
}

/**
 * Sent records are kept this long: past Teams' longest rate window (an hour, for seeding a
 * restarted worker's limiter) and any re-routing after a crash (seconds). Older duplicates are
 * stopped earlier, by the intake's dedupe of event ids.
 */
const DEFAULT_RETENTION_MS = 2 * 3_600_000;

export interface AlertOutbox {
  /**
   * One row per event and target. The row key derives from the event alone, so enqueueing the
   * same event again (a retried webhook, a crash between two targets) adds nothing.
   * Resolves with the targets that got a new row.
   */
  enqueue(event: IssueEvent, routes: readonly AlertRoute[]): Promise<AlertTarget[]>;
  /**
   * Pending rows of one conversation, oldest change first; with `limit`, the first that many only,
   * read a page at a time (parked rows are skipped), so a caller that needs the head of a long
   * queue does not read and parse all of it.
   */
  pending(conversationId: string, limit?: number): Promise<OutboxRow[]>;
  /**
   * Conversations that have rows, pending or parked (a scan of the keys only, so a burst's payloads
   * stay in the store; for start-up and the periodic sweep, which reads a partition before taking it).
   */
  conversationsWithWork(): Promise<string[]>;
  /**
   * When each conversation was last sent to since `since` (one time per message or update), so a
   * restarted worker's rate limiter starts where the previous process left off.
   */
  recentSends(since: number): Promise<Array<{ target: AlertTarget; at: number }>>;
  /** When one conversation was sent to since `since`, in order: its window for an instance taking it over. */
  recentSendsTo(conversationId: string, since: number): Promise<number[]>;
  /**
   * Marks a row as being sent by `owner` (ETag-checked); undefined when another worker changed it
   * first. Only the conversation's owner (see `owners`) claims its rows.
   */
  claim(row: OutboxRow, owner: string): Promise<OutboxRow | undefined>;
  /**
   * Claims rows of one conversation in order, up to the first one changed since it was read
   * (sending the rows after it would overtake it): one write for all of them and one read of the
   * sent table (on Azure Tables a transaction and a query per 14 rows, instead of two round trips
   * per row), falling back to one claim after another when a row changed.
   */
  claimAll(rows: readonly OutboxRow[], owner: string): Promise<OutboxRow[]>;
  /**
   * Per-conversation ownership across instances: the lease named by a conversation id says which
   * instance drains it, so one send per conversation is in flight cluster-wide and its order and
   * limits hold; a dead owner's conversations go to whoever takes them once its lease expires.
   */
  owners(owner: string, ttlMs: number, now?: () => number): StoreLeases;
  /**
   * The first write after a send: from here on the row is never sent again. Moves it to the sent
   * table, committing `also` (records that belong with the send, such as its card thread) in the
   * same write.
   */
  markSent(row: OutboxRow, sent: NonNullable<OutboxEntry['sent']>, also?: readonly PutItem[]): Promise<void>;
  /**
   * markSent for every row a send carried (a digest) in one write: all sent records first, then
   * `also`, then the outbox removals, so whatever a crash leaves done still keeps each row from
   * going out again.
   */
  markAllSent(rows: readonly OutboxRow[], sent: NonNullable<OutboxEntry['sent']>, also?: readonly PutItem[]): Promise<void>;
  retryLater(row: OutboxRow, failure: OutboxFailure, notBefore: number): Promise<OutboxRow | undefined>;
  park(row: OutboxRow, failure: OutboxFailure): Promise<void>;
  /** Gives a claimed row back unsent (a worker stopping). */
  release(row: OutboxRow): Promise<void>;
  parked(conversationId: string): Promise<OutboxEntry[]>;
  /** Puts parked rows of a conversation back in the queue. */
  retryParked(conversationId: string): Promise<number>;
  /** Deletes sent records older than the retention. */
  prune(now: number): Promise<number>;
  /** Called after rows were added, with their conversation ids. */
  onEnqueued(listener: (conversationIds: string[]) => void): () => void;
}

export function alertOutbox(store: Store, options: { now?: () => number; retentionMs?: number } = {}): AlertOutbox {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const listeners = new Set<(conversationIds: string[]) => void>();

  const keyOf = (event: IssueEvent, conversationId: string): ItemKey => ({
    table: OUTBOX_TABLE,
    partition: storeKeyPart(conversationId),
    // Ordered by the change's time in Jira, then by event id: stable for the same event.
    row: `${String(Date.parse(event.occurredAt) || 0).padStart(15, '0')}.${storeKeyPart(event.id)}`,
  });

  const rowsOf = async (conversationId: string) =>
    (await store.list<OutboxEntry>(OUTBOX_TABLE, storeKeyPart(conversationId))).map((item) => ({
      key: item.key,
      entry: item.value,
      etag: item.etag,
    }));

  /**
   * On a store that merges writes (SQLite), the sends of one turn of the event loop are recorded in
   * one putAll: a burst's drains get their answers from Teams together, and one commit for all of
   * them costs about half the CPU of one commit each (bench "worker's CPU per message delivered"). Each send's steps keep
   * their order (its sent records, then what goes with them), and every removal comes after all
   * of them, so whatever a crash leaves done still keeps each row from going out again.
   */
  const recordTogether = groupCommit<{ items: PutItem[]; removals: ItemKey[] }, undefined>(async (sends) => {
    await store.putAll<unknown>(
      sends.flatMap((send) => send.items),
      sends.flatMap((send) => send.removals),
    );
    return sends.map(() => undefined);
  });
  // Where merged writes would only queue one send's round trips behind another's (Azure Tables), each send writes alone.
  const recordSends = store.mergesWrites
    ? recordTogether
    : async (send: { items: PutItem[]; removals: ItemKey[] }) => void (await store.putAll<unknown>(send.items, send.removals));

  /** Writes a new version of a row if nobody changed it since it was read. */
  const replace = async (row: OutboxRow, entry: OutboxEntry): Promise<OutboxRow | undefined> => {
    try {
      const stored = await store.put(row.key, entry, { ifMatch: row.etag });
      return { key: row.key, entry, etag: stored.etag };
    } catch (error) {
      if (error instanceof StoreConflictError) return undefined;
      throw error;
    }
  };

  /**
   * On a store that merges writes, the claims of one turn (the drains a recorded group of sends
   * lets go on) go in one putAll, each ETag-checked; if any conflicts, nothing of it is written and
   * each is tried alone, so every caller learns its own outcome.
   */
  const claimTogether = groupCommit<{ row: OutboxRow; entry: OutboxEntry }, OutboxRow | undefined>(async (claims) => {
    try {
      const stored = await store.putAll(claims.map(({ row, entry }) => ({ key: row.key, value: entry, options: { ifMatch: row.etag } })));
      return claims.map(({ row, entry }, i) => ({ key: row.key, entry, etag: stored[i].etag }));
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      const mine: Array<OutboxRow | undefined> = [];
      for (const { row, entry } of claims) mine.push(await replace(row, entry));
      return mine;
    }
  });

  const claimOne = async (row: OutboxRow, owner: string): Promise<OutboxRow | undefined> => {
    const entry = { ...row.entry, sending: { owner, at: now() } };
    const mine = store.mergesWrites ? await claimTogether({ row, entry }) : await replace(row, entry);
    if (!mine) return undefined;
    // An enqueue racing the move to the sent table can re-create a sent row; it is dropped here.
    if (await store.get({ ...row.key, table: SENT_TABLE })) {
      await store.delete(row.key).catch(() => false);
      return undefined;
    }
    return mine;
  };

  const markAllSent = async (rows: readonly OutboxRow[], sent: NonNullable<OutboxEntry['sent']>, also: readonly PutItem[] = []): Promise<void> => {
    const records = rows.map((row) => ({ key: { ...row.key, table: SENT_TABLE }, value: sentRecord(row.entry, sent) }));
    // One commit in SQLite (shared with the other sends of this turn). Where the store writes step
    // by step (Azure Tables: a transaction per table and partition) the sent records go first: from
    // then on the rows cannot go out again, even if the rest never happens (claim drops rows that
    // have a sent record).
    await recordSends({ items: [...records, ...also], removals: rows.map((row) => row.key) });
  };

  return {
    async enqueue(event, routes) {
      const rows = routes.map(({ target, subscriptionIds, threaded }) => {
        const entry: OutboxEntry = {
          eventId: event.id,
          target,
          event,
          subscriptionIds,
          ...(threaded ? { threaded } : {}),
          state: 'pending',
          attempts: 0,
          notBefore: 0,
          enqueuedAt: now(),
        };
        // An event sent already and moved out may come again (routed again after a crash): its row
        // is dropped by the claim, which reads the sent table anyway (a race with the move needs
        // that), rather than checked here, which cost a read of the sent table per conversation
        // and routing batch (about half of routing's requests on Azure Tables).
        return { key: keyOf(event, target.conversationId), value: entry };
      });
      // The store merges the inserts of one turn of the event loop (and on Azure Tables those made
      // while others run) into one write: one SQLite commit, or one transaction per conversation
      // and one query per 14 sent-table checks, instead of a read and a write per row.
      const stored = await store.insertNew(rows);
      const added = routes.filter((_, i) => stored[i] !== undefined).map((route) => route.target);
      if (added.length > 0) for (const listener of listeners) listener(added.map((target) => target.conversationId));
      return added;
    },

    async pending(conversationId, limit = Infinity) {
      if (limit === Infinity) return (await rowsOf(conversationId)).filter((row) => row.entry.state === 'pending');
      const partition = storeKeyPart(conversationId);
      const found: OutboxRow[] = [];
      let after: { partition: string; row: string } | undefined;
      for (;;) {
        const page = await store.list<OutboxEntry>(OUTBOX_TABLE, partition, { limit, ...(after ? { after } : {}) });
        for (const item of page) if (item.value.state === 'pending' && found.length < limit) found.push({ key: item.key, entry: item.value, etag: item.etag });
        if (found.length >= limit || page.length < limit) return found;
        after = { partition, row: page[page.length - 1].key.row };
      }
    },

    async conversationsWithWork() {
      // The partition is the conversation id, percent-encoded (storeKeyPart).
      return [...new Set((await store.listKeys(OUTBOX_TABLE)).map((key) => key.partition))].map((partition) => decodeURIComponent(partition));
    },

    async recentSendsTo(conversationId, since) {
      // A digest marks many rows with one send.
      const sends = new Map<string, number>();
      for (const item of await store.list<SentRecord>(SENT_TABLE, storeKeyPart(conversationId))) {
        const sent = item.value.sent;
        if (sent && sent.at > since) sends.set(`${sent.activityId}|${sent.at}`, sent.at);
      }
      return [...sends.values()].sort((x, y) => x - y);
    },

    async recentSends(since) {
      const seen = new Map<string, { target: AlertTarget; at: number }>();
      for (const item of await store.list<SentRecord>(SENT_TABLE)) {
        const sent = item.value.sent;
        if (!sent || sent.at <= since) continue;
        // A digest marks many rows with one send.
        seen.set(`${item.value.target.conversationId}|${sent.activityId}|${sent.at}`, { target: item.value.target, at: sent.at });
      }
      return [...seen.values()];
    },

    claim: claimOne,

    async claimAll(rows, owner) {
      if (rows.length <= 1) {
        const mine = rows.length === 1 ? await claimOne(rows[0], owner) : undefined;
        return mine ? [mine] : [];
      }
      const at = now();
      const entries = rows.map((row) => ({ ...row.entry, sending: { owner, at } }));
      let stored: Array<{ etag: string }>;
      try {
        stored = await store.putAll(rows.map((row, i) => ({ key: row.key, value: entries[i], options: { ifMatch: row.etag } })));
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
        // A row changed since it was read: one by one, in order, up to the first that changed.
        const claimed: OutboxRow[] = [];
        for (const row of rows) {
          const mine = await claimOne(row, owner);
          if (!mine) break;
          claimed.push(mine);
        }
        return claimed;
      }
      const claimed = rows.map((row, i) => ({ key: row.key, entry: entries[i], etag: stored[i].etag }));
      // As in claim: a row an enqueue re-created after its send is dropped, and the rows after it wait.
      const sentAlready = await store.getMany(rows.map((row) => ({ ...row.key, table: SENT_TABLE })));
      const revived = sentAlready.findIndex((item) => item !== undefined);
      if (revived < 0) return claimed;
      await store.delete(rows[revived].key).catch(() => false);
      return claimed.slice(0, revived);
    },

    async markSent(row, sent, also = []) {
      await markAllSent([row], sent, also);
    },

    markAllSent,

    retryLater(row, failure, notBefore) {
      const { sending: _sending, ...rest } = row.entry;
      return replace(row, { ...rest, attempts: rest.attempts + 1, lastError: failure, notBefore });
    },

    async park(row, failure) {
      const { sending: _sending, ...rest } = row.entry;
      await replace(row, { ...rest, state: 'parked', attempts: rest.attempts + 1, lastError: failure });
    },

    async release(row) {
      const { sending: _sending, ...rest } = row.entry;
      await replace(row, rest);
    },

    async parked(conversationId) {
      return (await rowsOf(conversationId)).filter((row) => row.entry.state === 'parked').map((row) => row.entry);
    },

    async retryParked(conversationId) {
      let count = 0;
      for (const row of await rowsOf(conversationId)) {
        if (row.entry.state !== 'parked') continue;
        if (await replace(row, { ...row.entry, state: 'pending', attempts: 0, notBefore: 0 })) count += 1;
      }
      if (count > 0) for (const listener of listeners) listener([conversationId]);
      return count;
    },

    async prune(at) {
      let count = 0;
      for (const item of await store.list<SentRecord>(SENT_TABLE)) {
        const sent = item.value.sent;
        if (item.value.state !== 'sent' || !sent || sent.at > at - retentionMs) continue;
        try {
          if (await store.delete(item.key, { ifMatch: item.etag })) count += 1;
        } catch (error) {
          if (!(error instanceof StoreConflictError)) throw error;
        }
      }
      return count;
    },

    owners(owner, ttlMs, leaseNow = now) {
      return storeLeases(store, { owner, ttlMs, now: leaseNow, table: OWNERS_TABLE });
    },

    onEnqueued(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
