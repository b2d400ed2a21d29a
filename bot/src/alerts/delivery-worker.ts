import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { AlertOutbox, OutboxRow } from './alert-outbox';
import type { AlertSender } from './alert-sender';
import type { AlertThreads } from './alert-threads';
import { claimRows } from './claim-rows';
import { startDrainScheduler } from './drain-scheduler';
import { nextDelivery, type DeliveryPolicy } from './next-delivery';
import { sendAndRecord } from './send-and-record';
import { sendLimits } from './send-limits';
import type { SendLimit } from './send-window-limiter';
import { startPeriodicLoop } from './start-periodic-loop';

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
  const workerId = options.workerId ?? randomUUID();
  const concurrency = options.concurrency ?? 16;
  const sendsPerTurn = options.sendsPerTurn ?? 4;
  const leaseMs = options.leaseMs ?? 60_000;
  const pruneMs = options.pruneMs ?? 10 * 60_000;
  const policy: DeliveryPolicy = {
    gatherMs: options.gatherMs ?? 2_000,
    digestThreshold: options.digestThreshold ?? 10,
    digestMax: options.digestMax ?? 50,
    burstWindowMs: options.burstWindowMs ?? 60_000,
    burstQuietMs: options.burstQuietMs ?? 5_000,
    burstMaxHoldMs: options.burstMaxHoldMs ?? 60_000,
  };
  const { outbox, logger } = options;
  const limits = sendLimits({ clock, conversationLimits: options.conversationLimits, appLimits: options.appLimits });
  const send = sendAndRecord({
    outbox,
    threads: options.threads,
    sender: options.sender,
    logger,
    clock,
    random: options.random ?? Math.random,
    updateWindowMs: options.updateWindowMs ?? 10 * 60_000,
    maxAttempts: options.maxAttempts ?? 8,
    backoff: options.backoff ?? { baseMs: 1_000, capMs: 120_000 },
  });

  /** When each delivered row went out, per conversation, for burst detection. */
  const delivered = new Map<string, number[]>();
  const recentlyDelivered = (conversationId: string, now: number) => {
    const recent = (delivered.get(conversationId) ?? []).filter((t) => t > now - policy.burstWindowMs);
    delivered.set(conversationId, recent);
    return recent.length;
  };

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
  const abort = new AbortController();
  let stopped = false;
  let seeded = false;
  const scheduler = startDrainScheduler({ concurrency, drain: (conversationId) => drain(conversationId), clock, logger });

  /** New or changed rows: the next look at these conversations reads the store again. */
  const refresh = (conversationIds: readonly string[]) => {
    for (const id of conversationIds) {
      cachedRows.delete(id);
      versions.set(id, versionOf(id) + 1);
    }
    scheduler.wake(conversationIds);
  };

  /** One conversation, in order, until it has nothing due or gives its slot to others. */
  async function drain(conversationId: string): Promise<void> {
    let sends = 0;
    while (!stopped) {
      if (sends >= sendsPerTurn && scheduler.othersWaiting()) {
        // Back of the queue: the others' first messages go before this one's rest.
        scheduler.wake([conversationId]);
        return;
      }
      const now = clock.now();
      const version = versionOf(conversationId);
      let rows = cachedRows.get(conversationId);
      if (!rows) {
        rows = await outbox.pending(conversationId);
        if (versionOf(conversationId) === version) cachedRows.set(conversationId, rows);
      }
      const step = nextDelivery(rows, now, recentlyDelivered(conversationId, now), policy);
      if (step.kind === 'idle') {
        cachedRows.delete(conversationId);
        return;
      }
      if (step.kind === 'wait') {
        scheduler.wakeAt(conversationId, step.until);
        return;
      }
      const batch = step.rows;
      const target = batch[0].entry.target;

      // Waiting out a conversation's own window gives the drain slot to other conversations.
      const conversationWait = limits.conversationDelay(conversationId);
      if (conversationWait > 0) {
        scheduler.wakeAt(conversationId, clock.now() + conversationWait);
        return;
      }
      await limits.waitForApp(target.tenantId, abort.signal);
      sends += 1;
      const answered = limits.begin(target);
      try {
        const claimed = await claimRows(outbox, batch, workerId, clock.now() + leaseMs);
        const sent = claimed.length > 0 && (await send(conversationId, claimed, answered));
        if (sent) delivered.set(conversationId, [...(delivered.get(conversationId) ?? []), ...claimed.map(() => clock.now())]);
        // Sent and moved out: the rest of the copy is still what the store holds. Anything else
        // (a row another worker took, a failure that rewrote rows) reads the store again.
        if (sent && claimed.length === batch.length && versionOf(conversationId) === version)
          cachedRows.set(
            conversationId,
            rows.filter((row) => !batch.includes(row)),
          );
        else cachedRows.delete(conversationId);
      } catch (error) {
        cachedRows.delete(conversationId);
        throw error;
      } finally {
        answered();
      }
    }
  }

  let prunedAt = 0;
  const sweep = startPeriodicLoop({
    name: 'outbox sweep',
    intervalMs: options.sweepMs ?? 30_000,
    logger,
    clock,
    async run() {
      if (!seeded) {
        await limits.seed(outbox).catch((error: unknown) => logger.error({ err: error }, 'could not read recent sends; starting with empty rate windows'));
        seeded = true;
        scheduler.open();
      }
      // Rows other instances enqueued or gave back are only found here: read them afresh.
      refresh(await outbox.conversationsWithWork());
      if (clock.now() - prunedAt >= pruneMs) {
        prunedAt = clock.now();
        await outbox.prune(prunedAt);
      }
    },
  });
  const unsubscribe = outbox.onEnqueued((ids) => refresh(ids));

  return {
    wake: refresh,
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      abort.abort(new Error('delivery worker stopped'));
      await sweep.stop();
      await scheduler.stop();
    },
  };
}
