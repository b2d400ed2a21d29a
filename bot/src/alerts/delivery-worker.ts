import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { AlertOutbox, AlertTarget, OutboxRow } from './alert-outbox';
import type { AlertSender } from './alert-sender';
import type { AlertThreads } from './alert-threads';
import { claimRows } from './claim-rows';
import { conversationOwnership } from './conversation-ownership';
import { startDrainScheduler } from './drain-scheduler';
import { nextDelivery, type DeliveryPolicy } from './next-delivery';
import { sendAndRecord, SendNotStarted } from './send-and-record';
import { sendLimits, type SendLimits } from './send-limits';
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
  /** Teams' windows kept elsewhere (shared by every instance); by default this process's own, from the two options above. */
  limits?: SendLimits;
  /**
   * Drains working on the store at the same time (default 16); a drain gives its slot up while its
   * send is on the wire, so sends to any number of conversations go at once (drain-scheduler.ts).
   * The bound is for remote stores: with 128 drains preparing at once, two instances on Azure Tables
   * (Azurite) shared its answers so evenly that their first sends took several times longer.
   */
  concurrency?: number;
  /**
   * Sends a drain makes before it gives its slot to a waiting conversation (fair queueing), so a
   * burst over many channels gets every channel's first messages out early. Teams' windows chain
   * each send to the one 8 before it (8 per 2 s), so how soon a channel's first few go decides
   * how soon its last one can; 4 measured best for a 100-channel burst (3 and 5 did worse, and
   * no limit worse still). A conversation's first message of a burst (none sent within the burst
   * window) is a turn of its own: every later send of the channel is chained to it, while its next
   * few have most of a second to spare (7 per second), so each channel's first goes before any
   * channel's second.
   */
  sendsPerTurn?: number;
  /**
   * How long this worker owns a conversation without renewing (it renews while it drains one and
   * gives it up this long after it last had something due): how soon another instance takes over from a dead one.
   */
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
 * Rows a drain reads at a time when digests are off: Teams lets at most 7 messages a second into a
 * conversation, so a page lasts about a window's wait, and the next is read when it runs out.
 */
const HEAD_PAGE = 8;

/**
 * How long before a window's edge a drain comes back to prepare its send (the claim's commit, the
 * card thread's read, the card), so the request leaves at the edge: on a worker busy with a
 * 100-channel burst, a drain took 20-50 ms from its wake-up to its request, and every such delay
 * pushes back each later send Teams' windows chain to it.
 */
const PREPARE_AHEAD_MS = 50;

/**
 * Drains the outbox into Teams, one conversation at a time per drain (so order and the
 * update-or-post decision hold), many conversations in parallel.
 *
 * Ownership: a conversation is drained by one instance at a time, the holder of its lease in the
 * store (outbox.owners). Any instance may take a conversation that nobody holds; the holder
 * renews while it drains and for `leaseMs` after nothing is left (a burst's rows come seconds apart),
 * then reads the rows once more and gives it up if none came; a dead holder's lease expires
 * after `leaseMs`, when the instances that have work for it take it over. So cluster-wide one
 * send per conversation is in flight at a time, in order, counted by one rate limiter.
 *
 * Guarantee: every row is sent at least once unless parked, and at most once except in one
 * window. The steps are mark the row "sending" (ETag-checked) -> send -> write the sent record,
 * remove the row and record the card thread (the first write after the send; one SQLite
 * transaction, in that order on Azure Tables). A crash before the send leaves a row marked
 * sending that was never sent: nothing lost. On Azure Tables a crash after the sent record is
 * written leaves at most a row that the next claim drops, or a forgotten thread (the next change
 * posts a new card instead of updating: noise, not loss). The one window is a crash after Teams
 * accepted a send and before the sent record commits (one SQLite write, about a millisecond):
 * the next owner sends that row again. As only one send per conversation is ever in flight, a
 * crash repeats at most one message (one card, or one digest) per conversation. Teams offers no
 * idempotency key to close it; an update replayed in that window is harmless. botbuilder's
 * connector client itself retries a 5xx answer, which can duplicate a post Teams did accept
 * before failing. A graceful stop finishes in-flight sends first and gives back unsent the rows
 * of a send still waiting for its window, so it loses and duplicates nothing, and gives its
 * conversations up for others at once.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const clock = options.clock ?? systemClock;
  const workerId = options.workerId ?? randomUUID();
  const concurrency = options.concurrency ?? 16;
  const sendsPerTurn = options.sendsPerTurn ?? 4;
  const leaseMs = options.leaseMs ?? 15_000;
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
  // Without digests only the head of a conversation's queue decides the next step (nextDelivery):
  // a drain reads a page of it, not every row's payload, so a burst's first sends need not wait
  // for whole partitions to be parsed. Digests count and date the whole queue, so they read it all.
  const headRows = policy.digestThreshold === Infinity ? HEAD_PAGE : Infinity;
  const readRows = (conversationId: string) => outbox.pending(conversationId, headRows);
  const limits = options.limits ?? sendLimits({ clock, conversationLimits: options.conversationLimits, appLimits: options.appLimits });
  // A conversation stays owned for a lease's length after its last drain found nothing due, its rows read again then before it is given up (conversation-ownership.ts).
  const owners = conversationOwnership({
    leases: outbox.owners(workerId, leaseMs, () => clock.now()),
    owner: workerId,
    leaseMs,
    lingerMs: leaseMs,
    clock,
    hasWork: async (conversationId) => {
      const version = versionOf(conversationId);
      const rows = await readRows(conversationId);
      // An empty look gives the conversation up: its copy is not kept, since rows another instance
      // enqueues later reach this worker by no notice, and a takeover trusting `[]` would wait a linger.
      if (rows.length === 0) cachedRows.delete(conversationId);
      else if (versionOf(conversationId) === version) {
        cachedRows.set(conversationId, rows);
        justRead.add(conversationId);
      }
      return rows.length > 0;
    },
  });
  const { sender } = options;
  const send = sendAndRecord({
    outbox,
    threads: options.threads,
    sender,
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
  /** Conversations whose rows the sweep's look (`hasWork`) has just read: waking them needs no second read. */
  const justRead = new Set<string>();
  const abort = new AbortController();
  // Every conversation waiting for the app-wide window holds one abortable sleep on this signal.
  setMaxListeners(0, abort.signal);
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
    const turn = recentlyDelivered(conversationId, clock.now()) > 0 ? sendsPerTurn : 1;
    while (!stopped) {
      const ownership = await owners.own(conversationId);
      if (!ownership.owned) {
        cachedRows.delete(conversationId);
        return;
      }
      if (ownership.taken) {
        // New to this worker, or its lease lapsed: count the previous owner's sends in the windows.
        // Rows cached before the take (the sweep's look) stay: a row that owner changed or sent
        // meanwhile fails the claim's ETag check, which reads the rows again.
        await limits.adopt(conversationId, outbox);
      }
      if (sends >= turn && scheduler.othersWaiting(conversationId)) {
        // Back of the queue: the others' first messages go before this one's rest.
        scheduler.requeue(conversationId);
        return;
      }
      const now = clock.now();
      const version = versionOf(conversationId);
      let rows = cachedRows.get(conversationId);
      if (!rows) {
        rows = await readRows(conversationId);
        if (versionOf(conversationId) === version) cachedRows.set(conversationId, rows);
      }
      const step = nextDelivery(rows, now, recentlyDelivered(conversationId, now), policy);
      if (step.kind === 'idle') {
        cachedRows.delete(conversationId);
        // Other instances enqueue without telling this one: the heartbeat reads the partition
        // again before giving the conversation up, and drains it if they did.
        owners.idle(conversationId);
        return;
      }
      if (step.kind === 'wait') {
        scheduler.wakeAt(conversationId, step.until);
        return;
      }
      const batch = step.rows;
      const target = batch[0].entry.target;
      const repeat = batch.filter((row) => row.entry.sending && row.entry.sending.owner !== workerId).length;
      if (repeat > 0) logger.warn({ conversationId, rows: repeat }, 'sending again what a stopped worker was sending; Teams may show it twice');

      // Waiting out a conversation's own window gives the drain slot to other conversations; the
      // drain comes back a little before the window's edge to prepare the send (claim, thread,
      // card), so that only the request waits for the edge (onTheWire). This process's windows
      // answer at once (no promise per send); shared ones (Redis) take the slot.
      const delay = limits.conversationDelay(conversationId);
      const conversationWait = typeof delay === 'number' ? delay : await delay;
      if (conversationWait > PREPARE_AHEAD_MS) {
        scheduler.wakeAt(conversationId, clock.now() + conversationWait - PREPARE_AHEAD_MS);
        return;
      }
      sends += 1;
      try {
        const claimed = await claimRows(outbox, batch, workerId);
        const sent = claimed.length > 0 && (await send(conversationId, claimed, <T>(call: () => Promise<T>) => onTheWire(target, call)));
        if (sent) delivered.set(conversationId, [...(delivered.get(conversationId) ?? []), ...claimed.map(() => clock.now())]);
        // Sent and moved out: the rest of the copy is still what the store holds. Anything else
        // (a row another worker took, a failure that rewrote rows), or a copy used up (it may have
        // been the first page only), reads the store again.
        const rest = rows.filter((row) => !batch.includes(row));
        if (sent && claimed.length === batch.length && versionOf(conversationId) === version && rest.length > 0) cachedRows.set(conversationId, rest);
        else cachedRows.delete(conversationId);
      } catch (error) {
        cachedRows.delete(conversationId);
        throw error;
      }
    }
  }

  /**
   * One request to Teams, at the conversation's window edge and within the tenant's app window,
   * counted in both from its start until its answer (Teams counts it somewhere in between), with
   * the drain's slot lent to another conversation meanwhile.
   */
  async function onTheWire<T>(target: AlertTarget, call: () => Promise<T>): Promise<T> {
    return scheduler.whileWaiting(async () => {
      try {
        for (;;) {
          const delay = limits.conversationDelay(target.conversationId);
          const wait = typeof delay === 'number' ? delay : await delay;
          if (wait <= 0) break;
          await clock.sleep(wait, abort.signal);
        }
        await limits.waitForApp(target.tenantId, abort.signal);
      } catch (error) {
        if (abort.signal.aborted) throw new SendNotStarted('The delivery worker stopped before the send began');
        throw error;
      }
      const answered = limits.begin(target);
      try {
        return await call();
      } finally {
        answered();
      }
    });
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
      // Rows other instances enqueued or gave back are only found here: read them afresh. Those a
      // live instance owns are its own to find. Rows the look at unowned ones just read are kept.
      justRead.clear();
      const found = await owners.unclaimed(await outbox.conversationsWithWork());
      refresh(found.filter((id) => !justRead.has(id)));
      scheduler.wake(found.filter((id) => justRead.has(id)));
      justRead.clear();
      if (clock.now() - prunedAt >= pruneMs) {
        prunedAt = clock.now();
        await outbox.prune(prunedAt);
      }
    },
  });
  // Ownership lasts while this process lives: owned conversations are renewed whether they are
  // sending, waiting out a window or backing off, so only a dead (or stalled) process loses them.
  const heartbeat = startPeriodicLoop({
    name: 'outbox ownership',
    intervalMs: leaseMs / 3,
    logger,
    clock,
    async run() {
      const { now, later } = await owners.beat();
      scheduler.wake(now);
      for (const { conversationId, at } of later) scheduler.wakeAt(conversationId, at);
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
      await heartbeat.stop();
      // Nothing is in flight any more: the next instance need not wait for these leases to expire.
      await owners.releaseAll().catch((error: unknown) => logger.warn({ err: error }, 'could not give up outbox ownership; it lapses instead'));
    },
  };
}
