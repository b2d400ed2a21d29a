import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { alertCard } from '../cards/alert-card';
import { alertDigestCard } from '../cards/alert-digest-card';
import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { AlertOutbox, OutboxEntry, OutboxRow } from './alert-outbox';
import type { AlertSender } from './alert-sender';
import type { AlertThread, AlertThreads } from './alert-threads';
import { classifySendError } from './classify-send-error';
import { IssueEventKind } from './issue-event';
import { SendWindowLimiter, TEAMS_APP_LIMITS, TEAMS_CONVERSATION_LIMITS, type SendLimit } from './send-window-limiter';

export interface DeliveryWorkerOptions {
  outbox: AlertOutbox;
  threads: AlertThreads;
  sender: AlertSender;
  logger: Logger;
  clock?: Clock;
  random?: () => number;
  /** Names this worker's leases; unique per process start. */
  workerId?: string;
  conversationLimits?: readonly SendLimit[];
  /** Per tenant, for Teams' per-app ceiling. */
  appLimits?: readonly SendLimit[];
  /** Conversations drained at the same time. */
  concurrency?: number;
  /**
   * Sends a drain makes before it gives its slot to a waiting conversation (fair queueing), so a
   * burst over many channels gets every channel's first messages out early. Teams' windows chain
   * each send to the one 8 before it (8 per 2 s), so how soon a channel's first few go decides
   * how soon its last one can; 4 measured best for a 100-channel burst (3 and 5 did worse, and
   * no limit worse still).
   */
  sendsPerTurn?: number;
  /** How long a claimed row stays with this worker before another may take it over. */
  leaseMs?: number;
  /** Failed sends after which a row is parked. */
  maxAttempts?: number;
  backoff?: { baseMs: number; capMs: number };
  /** Changes to an issue within this long after its card was posted update that card. */
  updateWindowMs?: number;
  /** This many due rows in one conversation go out as one digest card; Infinity turns digests off. */
  digestThreshold?: number;
  digestMax?: number;
  /** A new row waits this long for others to join it, so a bulk change arrives as one digest. */
  gatherMs?: number;
  /**
   * Burst: once a conversation got `digestThreshold` alerts within this window (delivered plus
   * waiting), further ones are held until `burstQuietMs` pass without a new one (at most
   * `burstMaxHoldMs`) and go out as one digest, so 50 changes in a minute do not post 50 cards.
   */
  burstWindowMs?: number;
  burstQuietMs?: number;
  burstMaxHoldMs?: number;
  /** Full scans for rows other instances enqueued, leases of dead workers, and pruning. */
  sweepMs?: number;
  /** How often old sent records are dropped (a scan of them); default 10 minutes. */
  pruneMs?: number;
}

export interface DeliveryWorker {
  /** Looks at these conversations now (the outbox calls this on enqueue in the same process). */
  wake(conversationIds: readonly string[]): void;
  /** Stops taking rows, lets sends already started finish and be recorded, then resolves. */
  stop(): Promise<void>;
}

type Mode = NonNullable<OutboxEntry['sent']>['mode'];

/**
 * Drains the outbox into Teams, one conversation at a time per drain (so order and the
 * update-or-post decision hold), many conversations in parallel.
 *
 * Guarantee: every row is sent at least once unless parked, and at most once except in one
 * window. The steps are claim (lease, ETag-checked) -> send -> write the sent record, remove
 * the row and record the card thread (the first write after the send; one SQLite transaction,
 * in that order on Azure Tables). A crash before the send leaves a lease that expires and the
 * row is retried: nothing lost. On Azure Tables a crash after the sent record is written leaves
 * at most a row that the next claim drops, or a forgotten thread (the next change posts a new
 * card instead of updating: noise, not loss). The one window is a crash
 * after Teams accepted a post and before the sent record commits (one SQLite write, about a
 * millisecond): that row is posted again once its lease expires. Teams offers no idempotency
 * key to close it; an update replayed in that window is harmless. botbuilder's connector client
 * itself retries a 5xx answer, which can duplicate a post Teams did accept before failing. A
 * graceful stop finishes in-flight sends first, so it loses and duplicates nothing.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const workerId = options.workerId ?? randomUUID();
  const concurrency = options.concurrency ?? 16;
  const sendsPerTurn = options.sendsPerTurn ?? 4;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? { baseMs: 1_000, capMs: 120_000 };
  const updateWindowMs = options.updateWindowMs ?? 10 * 60_000;
  const digestThreshold = options.digestThreshold ?? 10;
  const digestMax = options.digestMax ?? 50;
  const gatherMs = options.gatherMs ?? 2_000;
  const burstWindowMs = options.burstWindowMs ?? 60_000;
  const burstQuietMs = options.burstQuietMs ?? 5_000;
  const burstMaxHoldMs = options.burstMaxHoldMs ?? 60_000;
  /** When each delivered row went out, per conversation, for burst detection. */
  const delivered = new Map<string, number[]>();
  const sweepMs = options.sweepMs ?? 30_000;
  const pruneMs = options.pruneMs ?? 10 * 60_000;
  let prunedAt = 0;
  const { outbox, threads, sender, logger } = options;

  const conversationLimiter = new SendWindowLimiter(options.conversationLimits ?? TEAMS_CONVERSATION_LIMITS);
  const appLimiter = new SendWindowLimiter(options.appLimits ?? TEAMS_APP_LIMITS);
  const waiting = new Set<string>();
  /**
   * A conversation's pending rows as this worker last read or wrote them, so a drain lists the
   * partition once per burst instead of once per send. Dropped whenever rows may have changed
   * elsewhere (an enqueue, the sweep, a lost ETag race, a failure); the ETag check on claim
   * catches any change this misses, so a stale copy costs a re-read, never a wrong send.
   */
  const cachedRows = new Map<string, OutboxRow[]>();
  /** Bumped by every refresh, so a drain that read before it does not put back an older copy. */
  const versions = new Map<string, number>();
  const versionOf = (conversationId: string) => versions.get(conversationId) ?? 0;
  const running = new Map<string, Promise<void>>();
  const wakeups = new Map<string, number>();
  const abort = new AbortController();
  // Every conversation waiting for its rate window holds one abortable sleep on this signal.
  setMaxListeners(0, abort.signal);
  let stopped = false;
  let seeded = false;

  const pump = () => {
    if (stopped || !seeded) return;
    for (const conversationId of waiting) {
      if (running.size >= concurrency) break;
      // A running drain lists the queue again before it ends; the id stays waiting until then.
      if (running.has(conversationId)) continue;
      waiting.delete(conversationId);
      const run = drain(conversationId)
        .catch((error: unknown) => {
          if (!stopped) logger.error({ err: error, conversationId }, 'alert delivery failed; retrying on the next sweep');
        })
        .finally(() => {
          running.delete(conversationId);
          pump();
        });
      running.set(conversationId, run);
    }
  };

  const wake = (conversationIds: readonly string[]) => {
    for (const id of conversationIds) waiting.add(id);
    pump();
  };

  /** New or changed rows: the next look at these conversations reads the store again. */
  const refresh = (conversationIds: readonly string[]) => {
    for (const id of conversationIds) {
      cachedRows.delete(id);
      versions.set(id, versionOf(id) + 1);
    }
    wake(conversationIds);
  };

  const wakeAt = (conversationId: string, at: number) => {
    const planned = wakeups.get(conversationId);
    if (planned !== undefined && planned <= at) return;
    wakeups.set(conversationId, at);
    clock
      .sleep(Math.max(0, at - clock.now()), abort.signal)
      .then(() => {
        if (wakeups.get(conversationId) === at) wakeups.delete(conversationId);
        wake([conversationId]);
      })
      .catch(() => undefined);
  };

  async function drain(conversationId: string): Promise<void> {
    let sends = 0;
    while (!stopped) {
      if (sends >= sendsPerTurn && waiting.size > 0) {
        // Back of the queue: the others' first messages go before this one's rest.
        waiting.add(conversationId);
        return;
      }
      const now = clock.now();
      const version = versionOf(conversationId);
      let rows = cachedRows.get(conversationId);
      if (!rows) {
        rows = await outbox.pending(conversationId);
        if (versionOf(conversationId) === version) cachedRows.set(conversationId, rows);
      }
      if (rows.length === 0) {
        cachedRows.delete(conversationId);
        return;
      }
      const readyAt = (row: OutboxRow) => Math.max(row.entry.notBefore, row.entry.lease?.until ?? 0, row.entry.enqueuedAt + gatherMs);
      // Head of line: while the oldest row backs off (a 429 is about the whole conversation) or
      // is held by another worker, later rows wait too, which also keeps them in order.
      if (readyAt(rows[0]) > now) {
        wakeAt(conversationId, Math.min(...rows.map(readyAt)));
        return;
      }
      const due = rows.filter((row) => readyAt(row) <= now);
      const recent = (delivered.get(conversationId) ?? []).filter((t) => t > now - burstWindowMs);
      delivered.set(conversationId, recent);
      const burst = recent.length + rows.length >= digestThreshold;
      if (burst && due.length < digestThreshold) {
        const newest = Math.max(...rows.map((r) => r.entry.enqueuedAt));
        const oldest = Math.min(...due.map((r) => r.entry.enqueuedAt));
        const release = Math.min(newest + burstQuietMs, oldest + burstMaxHoldMs);
        if (release > now) {
          wakeAt(conversationId, release);
          return;
        }
      }
      const batch = due.length >= 2 && burst ? due.slice(0, digestMax) : due.slice(0, 1);
      const tenantId = batch[0].entry.target.tenantId;

      // Waiting out a conversation's own window gives the drain slot to other conversations.
      const conversationWait = conversationLimiter.delay(conversationId, clock.now());
      if (conversationWait > 0) {
        wakeAt(conversationId, clock.now() + conversationWait);
        return;
      }
      for (;;) {
        const wait = appLimiter.delay(tenantId, clock.now());
        if (wait <= 0) break;
        await clock.sleep(wait, abort.signal);
      }
      // Counted from here: the limiter must see this send before any other drain checks it.
      sends += 1;
      conversationLimiter.begin(conversationId);
      appLimiter.begin(tenantId);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        const at = clock.now();
        conversationLimiter.finish(conversationId, at);
        appLimiter.finish(tenantId, at);
      };
      try {
        const claimed: OutboxRow[] = [];
        for (const row of batch) {
          const mine = await outbox.claim(row, workerId, clock.now() + leaseMs);
          if (mine) claimed.push(mine);
        }
        const sent = claimed.length > 0 && (await deliver(conversationId, claimed, finish));
        // Sent and moved out: the rest of the copy is still what the store holds. Anything else
        // (a row another worker took, a failure that rewrote rows) reads the store again.
        if (sent && claimed.length === batch.length && versionOf(conversationId) === version) cachedRows.set(conversationId, rows.filter((row) => !batch.includes(row)));
        else cachedRows.delete(conversationId);
      } catch (error) {
        cachedRows.delete(conversationId);
        throw error;
      } finally {
        finish();
      }
    }
  }

  /** Resolves true when the rows were sent and recorded, false when they failed and were rescheduled or parked. */
  async function deliver(conversationId: string, claimed: OutboxRow[], finish: () => void): Promise<boolean> {
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
          const fresh = thread && clock.now() - thread.postedAt < updateWindowMs ? thread : undefined;
          ({ mode, activityId } = fresh ? await updateOrPost(target, fresh, event) : { mode: 'post' as const, activityId: await sender.post(target, alertCard(event)) });
        }
      }
    } catch (error) {
      finish();
      await failed(conversationId, claimed, error);
      return false;
    }
    finish();
    const sent = { activityId, at: clock.now(), mode };
    delivered.set(conversationId, [...(delivered.get(conversationId) ?? []), ...claimed.map(() => sent.at)]);
    let record: AlertThread | undefined;
    if (mode === 'post') {
      const threaded = claimed[0].entry.threaded ?? false;
      record = { issueId: event.issue.id, issueKey: event.issue.key, site: event.site, threaded, activityId, postedAt: sent.at, events: [event] };
    }
    if (mode === 'update' && thread) record = { ...thread, events: [event, ...thread.events] };
    // Marked sent before anything else, so no later failure can make the row go out again; the
    // card thread is committed with the first row's sent record (one write, not three).
    for (const [i, row] of claimed.entries()) await outbox.markSent(row, sent, i === 0 && record ? threads.recordItems(conversationId, record) : []);
    logger.debug({ conversationId, activityId, mode, eventIds: claimed.map((r) => r.entry.eventId) }, 'alert delivered');
    return true;
  }

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

  async function failed(conversationId: string, claimed: OutboxRow[], error: unknown): Promise<void> {
    const failure = classifySendError(error);
    const at = clock.now();
    for (const row of claimed) {
      const attempts = row.entry.attempts + 1;
      if (!failure.retry || attempts >= maxAttempts) {
        await outbox.park(row, { code: failure.code, status: failure.status, at });
        logger.warn({ conversationId, eventId: row.entry.eventId, code: failure.code, attempts }, 'alert parked');
      } else {
        await outbox.retryLater(row, { code: failure.code, status: failure.status, at }, at + retryDelay(row.entry.attempts));
      }
    }
    if (failure.retry) logger.info({ conversationId, code: failure.code, rows: claimed.length }, 'alert send failed; backing off');
  }

  /** Exponential with jitter over the upper half, so a 429 always buys some quiet. */
  function retryDelay(attempt: number): number {
    const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt);
    return Math.floor(ceiling / 2 + random() * (ceiling / 2));
  }

  /** Counts what earlier processes sent in the last hour, so a restart does not burst past Teams' ceilings. */
  async function seed(): Promise<void> {
    const since = clock.now() - Math.max(...[...(options.conversationLimits ?? TEAMS_CONVERSATION_LIMITS), ...(options.appLimits ?? TEAMS_APP_LIMITS)].map((l) => l.windowMs));
    for (const { target, at } of await outbox.recentSends(since)) {
      conversationLimiter.begin(target.conversationId);
      conversationLimiter.finish(target.conversationId, at);
      appLimiter.begin(target.tenantId);
      appLimiter.finish(target.tenantId, at);
    }
    seeded = true;
  }

  async function sweep(): Promise<void> {
    await seed().catch((error: unknown) => {
      logger.error({ err: error }, 'could not read recent sends; starting with empty rate windows');
      seeded = true;
    });
    while (!stopped) {
      try {
        // Rows other instances enqueued or gave back are only found here: read them afresh.
        refresh(await outbox.conversationsWithWork());
        if (clock.now() - prunedAt >= pruneMs) {
          prunedAt = clock.now();
          await outbox.prune(prunedAt);
        }
      } catch (error) {
        if (!stopped) logger.error({ err: error }, 'outbox sweep failed');
      }
      await clock.sleep(sweepMs, abort.signal).catch(() => undefined);
    }
  }

  const unsubscribe = outbox.onEnqueued((ids) => refresh(ids));
  const sweeping = sweep();

  return {
    wake: refresh,
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      abort.abort(new Error('delivery worker stopped'));
      await Promise.allSettled([sweeping, ...running.values()]);
    },
  };
}
