import { randomUUID } from 'node:crypto';
import type { ItemKey, ListOptions, Store } from '../store/store';
import { fromInboxRow, toInboxRow, type InboxRow } from './inbox-row';
import type { IssueEvent } from './issue-event';
import { normalizeJiraWebhook } from './normalize-jira-webhook';
import { storeKeyPart } from '../store/store-key-part';

export interface ReceivedEvent {
  key: ItemKey;
  event: IssueEvent;
  state: 'received';
  receivedAt: number;
  etag: string;
  /** The instance that accepted it (AlertIntake.instance); absent on rows written before it was kept. */
  acceptedBy?: string;
}

/** Accepted events not yet routed: small, because the router empties it. */
export const INBOX_TABLE = 'alert-inbox';
/** Ids of accepted events (claimed on arrival, written again once routed), for dedupe; kept well beyond Jira's 30-minute retry window and the poller's overlap. */
export const SEEN_TABLE = 'alert-events-seen';
/**
 * The same ids by the hour they were accepted in (partition `h<hours since 1970>`, row
 * `<site>/<id>` as in SEEN_TABLE's keys), so prune reads only the hours that expired, a key range,
 * instead of every id kept. Its `pruned` partition holds the first hour not yet pruned.
 */
export const SEEN_BY_HOUR_TABLE = 'alert-events-seen-by-hour';
/** When each instance's router last swept (partition `live`, row the instance), so others leave a live instance's events to it. */
export const ROUTERS_TABLE = 'alert-routers';
/** A router not heard of for this long is forgotten (instances get a new id on every start). */
const FORGET_ROUTER_MS = 24 * 3_600_000;
const DEFAULT_RETENTION_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;
const PRUNE_PAGE = 500;
const PRUNED_THROUGH: ItemKey = { table: SEEN_BY_HOUR_TABLE, partition: 'pruned', row: 'next-hour' };
const hourPartition = (hour: number) => `h${hour}`;
const byHourKey = (received: { key: ItemKey; receivedAt: number }): ItemKey => ({
  table: SEEN_BY_HOUR_TABLE,
  partition: hourPartition(Math.floor(received.receivedAt / HOUR_MS)),
  // The parts are storeKeyPart (percent-encoded): the first '/' splits them.
  row: `${received.key.partition}/${received.key.row}`,
});

export type WebhookOutcome = 'accepted' | 'duplicate' | 'ignored';

export interface AlertIntake {
  /** This instance's id, kept with every event it accepts. */
  readonly instance: string;
  /** Normalizes a webhook body and accepts it; the caller answers Jira once this resolves. */
  receiveWebhook(siteUrl: string, payload: unknown): Promise<WebhookOutcome>;
  /**
   * Stores an event once: one write, keyed by the event id, so a webhook retry and the same
   * change found by the poller end up as one row. Resolves false when it was there already.
   */
  accept(event: IssueEvent): Promise<boolean>;
  /** Events accepted but not yet routed to the outbox, in key order; `page`: at most `limit` of them, after a key. */
  received(page?: ListOptions): Promise<ReceivedEvent[]>;
  markRouted(events: readonly ReceivedEvent[]): Promise<void>;
  /** Forgets the ids of events accepted before `now` minus the retention; resolves with how many. */
  prune(now: number): Promise<number>;
  /**
   * Notes that this instance's router is sweeping now, and resolves with the instances whose
   * routers did within `withinMs` (this one included): events they accepted are theirs to route.
   */
  routersAlive(withinMs: number): Promise<Set<string>>;
  /** Called with each newly accepted event, so a router in this process need not scan the table. */
  onAccepted(listener: (received: ReceivedEvent) => void): () => void;
}

export function alertIntake(store: Store, options: { now?: () => number; retentionMs?: number; instance?: string } = {}): AlertIntake {
  const now = options.now ?? Date.now;
  const instance = options.instance ?? randomUUID();
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const listeners = new Set<(received: ReceivedEvent) => void>();

  /**
   * Events accepted together are written together: the store's insertNew is a group commit (the
   * calls of one turn of the event loop, and on Azure Tables those made while its writes run, as one
   * write), and each caller resolves only after the write that holds its row, so "accepted" still
   * means stored. The dedupe is part of that write: the event's id is claimed in SEEN_TABLE with it
   * (insert-only), and an event already in the inbox, or whose id was claimed before, is skipped,
   * with no read: on Azure Tables a transaction per site, where a check of 14 ids by `or` scans the
   * site's whole partition of a day's ids ("Design for querying": an `or` of RowKeys is a partition
   * scan, not a range query). markRouted writes the id again, for an event whose claim a crash left
   * unwritten.
   */
  const insert = async (key: ItemKey, row: InboxRow, receivedAt: number): Promise<string | undefined> =>
    (await store.insertNew<InboxRow>([{ key, value: row, claim: { key: { ...key, table: SEEN_TABLE }, value: { at: receivedAt } } }]))[0]?.etag;

  const accept = async (event: IssueEvent): Promise<boolean> => {
    const key = { table: INBOX_TABLE, partition: storeKeyPart(event.site), row: storeKeyPart(event.id) };
    const receivedAt = now();
    const etag = await insert(key, toInboxRow(event, receivedAt, instance), receivedAt);
    if (etag === undefined) return false;
    for (const listener of listeners) listener({ key, etag, event, state: 'received', receivedAt, acceptedBy: instance });
    return true;
  };

  const pruneUnindexed = async (cutoff: number): Promise<number> => {
    let count = 0;
    let after: ItemKey | undefined;
    for (;;) {
      const page = await store.list<{ at: number }>(SEEN_TABLE, undefined, { limit: PRUNE_PAGE, ...(after ? { after } : {}) });
      if (page.length === 0) return count;
      after = page[page.length - 1].key;
      const expired = page.filter((item) => item.value.at <= cutoff);
      if (expired.length > 0) await store.putAll([], [...expired.map((item) => item.key), ...expired.map((item) => byHourKey({ key: item.key, receivedAt: item.value.at }))]);
      count += expired.length;
    }
  };

  return {
    instance,
    async routersAlive(withinMs) {
      const at = now();
      await store.put({ table: ROUTERS_TABLE, partition: 'live', row: instance }, { at });
      const routers = await store.list<{ at: number }>(ROUTERS_TABLE, 'live');
      const gone = routers.filter((router) => router.value.at < at - FORGET_ROUTER_MS);
      if (gone.length > 0)
        await store.putAll(
          [],
          gone.map((router) => router.key),
        );
      return new Set(routers.filter((router) => router.value.at >= at - withinMs).map((router) => router.key.row));
    },
    async receiveWebhook(siteUrl, payload) {
      const event = normalizeJiraWebhook(payload, siteUrl);
      if (!event) return 'ignored';
      return (await accept(event)) ? 'accepted' : 'duplicate';
    },
    accept,
    async received(page) {
      return (await store.list<InboxRow>(INBOX_TABLE, undefined, page)).map((item) => ({
        key: item.key,
        etag: item.etag,
        state: 'received' as const,
        // The keys are storeKeyPart (percent-encoded) of the site and the event id.
        ...fromInboxRow(item.value, { site: decodeURIComponent(item.key.partition), id: decodeURIComponent(item.key.row) }),
      }));
    },
    async markRouted(events) {
      // Every id's hour entry first, then every id seen, then every event out of the inbox, in one
      // putAll (one commit on SQLite; on Azure Tables a transaction per hour, per site and per 100
      // events, in that order): a crash in between only routes some again, and the outbox ignores
      // rows it already has; an hour entry without its id is only pruned for nothing. A webhook
      // retry racing this finds the id or the inbox row, so insertNew skips it.
      await store.putAll<unknown>(
        [
          ...events.map((received) => ({ key: byHourKey(received), value: 1 })),
          ...events.map((received) => ({ key: { ...received.key, table: SEEN_TABLE }, value: { at: received.receivedAt } })),
        ],
        events.map((received) => received.key),
      );
    },
    async prune(at) {
      const cutoff = at - retentionMs;
      // Hours before this one are wholly past the retention.
      const end = Math.floor(cutoff / HOUR_MS);
      const marker = await store.get<number>(PRUNED_THROUGH);
      // First prune on this store: ids routed before the hour entries existed have none, so the
      // seen table is read once, a page at a time, and every expired id goes with its hour entry.
      let count = marker ? 0 : await pruneUnindexed(cutoff);
      for (let hour = marker?.value ?? end; hour < end; hour++) {
        const partition = hourPartition(hour);
        for (;;) {
          const page = await store.list<number>(SEEN_BY_HOUR_TABLE, partition, { limit: PRUNE_PAGE });
          if (page.length === 0) break;
          const ids = page.map(({ key }) => {
            const slash = key.row.indexOf('/');
            return { table: SEEN_TABLE, partition: key.row.slice(0, slash), row: key.row.slice(slash + 1) };
          });
          await store.putAll([], [...ids, ...page.map((item) => item.key)]);
          count += page.length;
        }
      }
      if (!marker || marker.value < end) await store.put(PRUNED_THROUGH, end);
      return count;
    },
    onAccepted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
