import type { ItemKey, Store } from '../store/store';
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
}

/** Accepted events not yet routed: small, because the router empties it. */
export const INBOX_TABLE = 'alert-inbox';
/** Ids of routed events, for dedupe; kept well beyond Jira's 30-minute retry window and the poller's overlap. */
export const SEEN_TABLE = 'alert-events-seen';
const DEFAULT_RETENTION_MS = 24 * 3_600_000;

export type WebhookOutcome = 'accepted' | 'duplicate' | 'ignored';

export interface AlertIntake {
  /** Normalizes a webhook body and accepts it; the caller answers Jira once this resolves. */
  receiveWebhook(siteUrl: string, payload: unknown): Promise<WebhookOutcome>;
  /**
   * Stores an event once: one write, keyed by the event id, so a webhook retry and the same
   * change found by the poller end up as one row. Resolves false when it was there already.
   */
  accept(event: IssueEvent): Promise<boolean>;
  /** Events accepted but not yet routed to the outbox. */
  received(): Promise<ReceivedEvent[]>;
  markRouted(events: readonly ReceivedEvent[]): Promise<void>;
  prune(now: number): Promise<number>;
  /** Called with each newly accepted event, so a router in this process need not scan the table. */
  onAccepted(listener: (received: ReceivedEvent) => void): () => void;
}

export function alertIntake(store: Store, options: { now?: () => number; retentionMs?: number } = {}): AlertIntake {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const listeners = new Set<(received: ReceivedEvent) => void>();

  interface Waiting {
    key: ItemKey;
    row: InboxRow;
    settle(result: { etag?: string; error?: unknown }): void;
  }
  /**
   * Group commit: events accepted in the same turn of the event loop are written in one
   * transaction (one commit instead of one each), and each caller resolves only after the
   * commit that holds its row, so "accepted" still means stored. The dedupe check is part of
   * that write: an event already in the inbox, or already routed (its id in SEEN_TABLE), is
   * skipped there, with no read before it.
   */
  let batch: Waiting[] = [];

  const flush = async (): Promise<void> => {
    const items = batch;
    batch = [];
    try {
      const stored = await store.insertNew<InboxRow>(items.map(({ key, row }) => ({ key, value: row, unlessExists: { ...key, table: SEEN_TABLE } })));
      items.forEach((item, i) => item.settle({ etag: stored[i]?.etag }));
    } catch (error) {
      for (const item of items) item.settle({ error });
    }
  };

  const accept = async (event: IssueEvent): Promise<boolean> => {
    const key = { table: INBOX_TABLE, partition: storeKeyPart(event.site), row: storeKeyPart(event.id) };
    const receivedAt = now();
    const etag = await new Promise<string | undefined>((resolve, reject) => {
      if (batch.length === 0) setImmediate(() => void flush());
      batch.push({
        key,
        row: toInboxRow(event, receivedAt),
        settle: ({ etag: stored, error }) => (error === undefined ? resolve(stored) : reject(error instanceof Error ? error : new Error(String(error)))),
      });
    });
    if (etag === undefined) return false;
    for (const listener of listeners) listener({ key, etag, event, state: 'received', receivedAt });
    return true;
  };

  return {
    async receiveWebhook(siteUrl, payload) {
      const event = normalizeJiraWebhook(payload, siteUrl);
      if (!event) return 'ignored';
      return (await accept(event)) ? 'accepted' : 'duplicate';
    },
    accept,
    async received() {
      return (await store.list<InboxRow>(INBOX_TABLE)).map((item) => ({
        key: item.key,
        etag: item.etag,
        state: 'received' as const,
        // The keys are storeKeyPart (percent-encoded) of the site and the event id.
        ...fromInboxRow(item.value, { site: decodeURIComponent(item.key.partition), id: decodeURIComponent(item.key.row) }),
      }));
    },
    async markRouted(events) {
      // Every id seen first, then every event out of the inbox, in one putAll (one commit on
      // SQLite; on Azure Tables a transaction per site and 100 events, the inbox deletes after all
      // seen ids): a crash in between only routes some again, and the outbox ignores rows it
      // already has. A webhook retry racing this finds one or the other, so insertNew skips it.
      await store.putAll(
        events.map((received) => ({ key: { ...received.key, table: SEEN_TABLE }, value: { at: received.receivedAt } })),
        events.map((received) => received.key),
      );
    },
    async prune(at) {
      let count = 0;
      for (const item of await store.list<{ at: number }>(SEEN_TABLE)) {
        if (item.value.at > at - retentionMs) continue;
        if (await store.delete(item.key, { ifMatch: item.etag }).catch(() => false)) count += 1;
      }
      return count;
    },
    onAccepted(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
