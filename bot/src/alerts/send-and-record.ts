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
 * Sends claimed rows as one card (a digest when there are several; else a reply in the issue's
 * thread, an update of its recent card, or a new post) and records the outcome: sent (the
 * first write after the send), retried later with backoff, or parked.
 *
 * `answered` is called as soon as Teams has answered, before anything is written, so the rate
 * limiter counts the send at the time Teams saw it. Resolves true when the rows were sent and
 * recorded, false when they failed and were rescheduled or parked.
 */
export type SendAndRecord = (conversationId: string, claimed: readonly OutboxRow[], answered: () => void) => Promise<boolean>;

export function sendAndRecord(deps: SendAndRecordDeps): SendAndRecord {
  const { outbox, threads, sender, logger, clock } = deps;

  async function updateOrPost(target: OutboxEntry['target'], thread: AlertThread, event: OutboxEntry['event']): Promise<{ mode: Mode; activityId: string }> {
    try {
      await sender.update(target, thread.activityId, alertCard(event, { earlier: thread.events }));
      return { mode: 'update', activityId: thread.activityId };
    } catch (error) {
      // Someone deleted the card: post a new one rather than lose the change.
      if (classifySendError(error).status !== 404) throw error;
      return { mode: 'post', activityId: await sender.post(target, alertCard(event)) };
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

  return async (conversationId, claimed, answered) => {
    const target = claimed[0].entry.target;
    const event = claimed[0].entry.event;
    let thread: AlertThread | undefined;
    let mode: Mode;
    let activityId: string;
    try {
      if (claimed.length > 1) {
        mode = 'digest';
        activityId = await sender.post(target, alertDigestCard(claimed.map((row) => row.entry.event)));
      } else {
        thread = await threads.get(conversationId, event.issue.id);
        const row = claimed[0].entry;
        if (thread && row.threaded && event.kinds.includes(IssueEventKind.Commented)) {
          // Two-way threads: a new comment goes under the issue's card, however old the card is,
          // unless it came from a reply in that very thread.
          mode = 'reply';
          const own = event.comment && (await threads.isOwnComment(conversationId, event.comment.id));
          activityId = own ? '' : await sender.reply(target, thread.activityId, alertCard(event));
        } else {
          const fresh = thread && clock.now() - thread.postedAt < deps.updateWindowMs ? thread : undefined;
          ({ mode, activityId } = fresh ? await updateOrPost(target, fresh, event) : { mode: 'post' as const, activityId: await sender.post(target, alertCard(event)) });
        }
      }
    } catch (error) {
      answered();
      await failed(conversationId, claimed, error);
      return false;
    }
    answered();
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
