import { alertCard } from '../cards/alert-card';
import { alertDigestCard } from '../cards/alert-digest-card';
import type { Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { AlertOutbox, OutboxEntry, OutboxRow } from './alert-outbox';
import type { AlertSender } from './alert-sender';
import type { AlertThread, AlertThreads } from './alert-threads';
import { classifySendError } from './classify-send-error';
import { IssueEventKind } from './issue-event';
import { countAlertParked, countTeamsThrottled, recordAlertLag } from '../telemetry/service-metrics';

type Mode = NonNullable<OutboxEntry['sent']>['mode'];

export interface SendAndRecordDeps {
  outbox: AlertOutbox;
  threads: AlertThreads;
  sender: AlertSender;
  logger: Logger;
  clock: Clock;
  random: () => number;
  /** Changes to an issue within this long after its card was posted update that card. */
  updateWindowMs: number;
  /** Failed sends after which a row is parked. */
  maxAttempts: number;
  backoff: { baseMs: number; capMs: number };
}

/**
 * Puts one request to Teams on the wire: the caller runs `call` once the conversation's windows
 * allow it, counting it in them from its start until its answer (so before anything is written).
 * Rejects with SendNotStarted, without calling, when the worker stops first.
 */
export type OnTheWire = <T>(call: () => Promise<T>) => Promise<T>;

/** The worker stopped while a send waited for its window: nothing reached Teams. */
export class SendNotStarted extends Error {}

/**
 * Sends claimed rows as one card (a digest when there are several; else a reply in the issue's
 * thread, an update of its recent card, or a new post) and records the outcome: sent (the
 * first write after the send), retried later with backoff, parked, or given back unsent when the
 * worker stopped before the send began.
 *
 * Everything but the request itself (the card thread's read, the card) is done before `wire`
 * waits for the window, so the request leaves at the window's edge. Resolves true when the rows
 * were sent and recorded, false otherwise.
 */
export type SendAndRecord = (conversationId: string, claimed: readonly OutboxRow[], wire: OnTheWire) => Promise<boolean>;

export function sendAndRecord(deps: SendAndRecordDeps): SendAndRecord {
  const { outbox, threads, sender, logger, clock } = deps;

  async function updateOrPost(target: OutboxEntry['target'], thread: AlertThread, event: OutboxEntry['event'], wire: OnTheWire): Promise<{ mode: Mode; activityId: string }> {
    const card = alertCard(event, { earlier: thread.events });
    try {
      await wire(() => sender.update(target, thread.activityId, card));
      return { mode: 'update', activityId: thread.activityId };
    } catch (error) {
      // Someone deleted the card: post a new one rather than lose the change.
      if (classifySendError(error).status !== 404) throw error;
      const fresh = alertCard(event);
      return { mode: 'post', activityId: await wire(() => sender.post(target, fresh)) };
    }
  }

  /** Exponential with jitter over the upper half, so a 429 always buys some quiet. */
  const retryDelay = (attempt: number) => {
    const ceiling = Math.min(deps.backoff.capMs, deps.backoff.baseMs * 2 ** attempt);
    return Math.floor(ceiling / 2 + deps.random() * (ceiling / 2));
  };

  async function failed(conversationId: string, claimed: readonly OutboxRow[], error: unknown): Promise<void> {
    const failure = classifySendError(error);
    const at = clock.now();
    if (failure.status === 429) countTeamsThrottled();
    for (const row of claimed) {
      const attempts = row.entry.attempts + 1;
      if (!failure.retry || attempts >= deps.maxAttempts) {
        await outbox.park(row, { code: failure.code, status: failure.status, at });
        countAlertParked(failure.code);
        logger.warn({ conversationId, eventId: row.entry.eventId, code: failure.code, attempts }, 'alert parked');
      } else {
        await outbox.retryLater(row, { code: failure.code, status: failure.status, at }, at + retryDelay(row.entry.attempts));
      }
    }
    if (failure.retry) logger.info({ conversationId, code: failure.code, rows: claimed.length }, 'alert send failed; backing off');
  }

  return async (conversationId, claimed, wire) => {
    const target = claimed[0].entry.target;
    const event = claimed[0].entry.event;
    let thread: AlertThread | undefined;
    let mode: Mode;
    let activityId: string;
    try {
      if (claimed.length > 1) {
        mode = 'digest';
        const card = alertDigestCard(claimed.map((row) => row.entry.event));
        activityId = await wire(() => sender.post(target, card));
      } else {
        thread = await threads.get(conversationId, event.issue.id);
        const row = claimed[0].entry;
        if (thread && row.threaded && event.kinds.includes(IssueEventKind.Commented)) {
          // Two-way threads: a new comment goes under the issue's card, however old the card is,
          // unless it came from a reply in that very thread.
          mode = 'reply';
          const own = event.comment && (await threads.isOwnComment(conversationId, event.comment.id));
          if (own) activityId = '';
          else {
            const card = alertCard(event);
            const root = thread.activityId;
            activityId = await wire(() => sender.reply(target, root, card));
          }
        } else {
          const fresh = thread && clock.now() - thread.postedAt < deps.updateWindowMs ? thread : undefined;
          if (fresh) ({ mode, activityId } = await updateOrPost(target, fresh, event, wire));
          else {
            const card = alertCard(event);
            mode = 'post';
            activityId = await wire(() => sender.post(target, card));
          }
        }
      }
    } catch (error) {
      if (error instanceof SendNotStarted) {
        // Stopped before the send began: the rows go back as they were, for the next owner.
        for (const row of claimed) await outbox.release(row);
        return false;
      }
      await failed(conversationId, claimed, error);
      return false;
    }
    const sent = { activityId, at: clock.now(), mode };
    let record: AlertThread | undefined;
    if (mode === 'post') {
      const threaded = claimed[0].entry.threaded ?? false;
      record = { issueId: event.issue.id, issueKey: event.issue.key, site: event.site, threaded, activityId, postedAt: sent.at, events: [event] };
    }
    if (mode === 'update' && thread) record = { ...thread, events: [event, ...thread.events] };
    // Marked sent before anything else, so no later failure can make a row go out again; the card
    // thread and every row of a digest are committed in that one write (on Azure Tables one
    // transaction for the sent records and one for the removals, not two round trips per row).
    await outbox.markAllSent(claimed, sent, record ? threads.recordItems(conversationId, record) : []);
    for (const row of claimed) recordAlertLag(sent.at - Date.parse(row.entry.event.occurredAt), mode);
    logger.debug({ conversationId, activityId, mode, eventIds: claimed.map((r) => r.entry.eventId) }, 'alert delivered');
    return true;
  };
}
