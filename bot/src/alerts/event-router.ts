import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { AlertIntake, ReceivedEvent } from './alert-intake';
import type { AlertOutbox, AlertRoute } from './alert-outbox';
import type { ItemKey } from '../store/store';
import type { IssueEvent } from './issue-event';
import { startPeriodicLoop } from './start-periodic-loop';

/** How a matcher may answer when it cannot decide everything now. */
export interface MatchOptions {
  /** Decide without calling Jira: an event that needs Jira for some of its routes goes into `undecided`. */
  offline?: boolean;
  /**
   * Where a matcher names the events it could not fully decide (Jira unreachable, issue fields
   * missing); their other routes are still returned. Without it such a failure throws.
   */
  undecided?: Set<string>;
}

/** Decides which conversations each event goes to; events come in batches of one site. */
export interface EventMatcher {
  targets(site: string, events: readonly IssueEvent[], options?: MatchOptions): Promise<Map<string, AlertRoute[]>>;
  /**
   * Fills in, from Jira, what webhooks left out of thin events (same events, same order); rejects
   * when Jira cannot be asked. Without it thin events are matched as they came.
   */
  complete?: EventCompleter;
}

export type EventCompleter = (site: string, events: readonly IssueEvent[]) => Promise<IssueEvent[]>;

/** First wait before an undecided event is matched again; it doubles up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 15_000;
/**
 * Events the router holds in memory at most for matching (queued, being matched), and again at
 * most for waiting on Jira: a few kilobytes each, so a few megabytes in all. Past it, accepted
 * events wait in the store's inbox, where they already are, and are read back a page at a time
 * as the router catches up; an event past the second bound is matched again from the inbox later.
 */
const MAX_HELD = 2_000;
/**
 * Events per batch of the pass without Jira. Its cost on the store is per conversation and batch
 * (a transaction and a sent-table check each: the outbox is partitioned by conversation), so under
 * a burst the pass takes all that queued while the last batch was routed, up to this many: a burst
 * over 100 channels routed 200 at a time made about 1.5 requests per event.
 */
const OFFLINE_BATCH = 1_000;
/** Events per batch of the pass with Jira: one Jira query per site, batch and JQL, with the batch's keys in it. */
const ONLINE_BATCH = 200;
/** Inbox rows read per page by a sweep or a catch-up. */
const SCAN_PAGE = 500;

export interface EventRouter {
  stop(): Promise<void>;
}

/**
 * Moves accepted events into the outbox: match in batches per site, enqueue, then mark routed.
 * A crash in between only means routing again, and the outbox ignores rows it already has.
 *
 * Matching goes in two passes so that Jira never holds up what does not need it: first without
 * Jira (project, event type, simple JQL), enqueued at once; then, for the events that need Jira
 * (JQL only Jira can evaluate, personal notifications, fields a thin webhook left out), with one
 * Jira query per site, batch and JQL. An event Jira could not decide (unreachable) stays in the
 * inbox and is matched again with backoff; the conversations it already went to are skipped.
 */
export function startEventRouter(deps: {
  intake: AlertIntake;
  matcher: EventMatcher;
  outbox: AlertOutbox;
  logger: Logger;
  clock?: Clock;
  /** Scans of the inbox, a page at a time, for events accepted by other instances or left by a crash. */
  sweepMs?: number;
  /** How often old dedupe ids are dropped. */
  pruneMs?: number;
  /** Events per batch of both passes (default: OFFLINE_BATCH without Jira, ONLINE_BATCH with it). */
  batchSize?: number;
  /** Events held in memory at most (MAX_HELD by default). */
  maxHeld?: number;
}): EventRouter {
  const clock = deps.clock ?? systemClock;
  const sweepMs = deps.sweepMs ?? 30_000;
  const pruneMs = deps.pruneMs ?? 3_600_000;
  let prunedAt = clock.now();
  const offlineBatch = deps.batchSize ?? OFFLINE_BATCH;
  const onlineBatch = deps.batchSize ?? ONLINE_BATCH;
  const maxHeld = deps.maxHeld ?? MAX_HELD;
  /** Accepted events for the pass without Jira, and events for the pass with Jira, by key. */
  const queue = new Map<string, ReceivedEvent>();
  const online = new Map<string, ReceivedEvent>();
  /** Events whose batch failed: the next sweep queues them again. */
  const failed = new Map<string, ReceivedEvent>();
  /** Every event this router holds, in any of the above, being matched or waiting for Jira, by key: a sweep leaves these to it. */
  const held = new Set<string>();
  /**
   * Conversations an event not yet fully decided was already routed to, by key: the events waiting
   * for Jira, at most maxHeld. The others held, queued or being matched, are at most maxHeld too.
   */
  const routedTo = new Map<string, Set<string>>();
  /**
   * Events left in the inbox because too many wait for Jira already, by key (at most 10 x maxHeld,
   * oldest forgotten first): a catch-up passes them over, else it would match them again and again
   * while Jira is down; the sweep takes them again once they are a sweep old.
   */
  const parked = new Set<string>();
  /** Accepted events were left in the inbox because the router was full: a catch-up reads them back. */
  let behind = false;
  /**
   * The instances whose routers swept lately, by the last sweep (undefined until then or when it
   * could not be read): an event one of them accepted is left to it, however long it takes there.
   */
  let alive: Set<string> | undefined;
  /** Where the last catch-up stopped, full: the next one reads on from there. */
  let cursor: ItemKey | undefined;
  let scanning: Promise<void> | undefined;
  let stopped = false;
  let retryMs = RETRY_MIN_MS;
  let retrying: Promise<void> | undefined;
  const abort = new AbortController();

  const keyOf = (received: ReceivedEvent) => `${received.key.partition}/${received.key.row}`;

  /** Queues an event for the pass without Jira; false, and `behind`, when the router is full. */
  const take = (received: ReceivedEvent): boolean => {
    const key = keyOf(received);
    if (held.has(key)) return true;
    if (held.size - routedTo.size >= maxHeld) {
      behind = true;
      return false;
    }
    held.add(key);
    queue.set(key, received);
    return true;
  };
  const release = (received: ReceivedEvent) => {
    held.delete(keyOf(received));
    routedTo.delete(keyOf(received));
  };
  const park = (received: ReceivedEvent) => {
    release(received);
    parked.add(keyOf(received));
    if (parked.size > 10 * maxHeld) parked.delete(parked.values().next().value!);
  };

  /**
   * The two passes drain independently, so a slow or failing Jira (the online pass retries for
   * seconds before it gives up) never delays what the offline pass can send.
   */
  const drainer = (name: string, from: Map<string, ReceivedEvent>, offline: boolean, batchSize: number) => {
    let running: Promise<void> | undefined;
    const drain = async () => {
      while (from.size > 0 && !stopped) {
        // The first batchSize in queue order, taken out as they are read: never a copy of the queue.
        const bySite = new Map<string, ReceivedEvent[]>();
        let taken = 0;
        for (const [key, received] of from) {
          from.delete(key);
          const items = bySite.get(received.event.site);
          if (items) items.push(received);
          else bySite.set(received.event.site, [received]);
          if (++taken >= batchSize) break;
        }
        for (const [site, items] of bySite) {
          try {
            await route(site, items, offline);
          } catch (error) {
            // Held as received: the next sweep queues it again.
            deps.logger.warn({ err: error, site, events: items.length, pass: name }, 'routing a batch failed');
            for (const received of items) failed.set(keyOf(received), received);
          }
        }
        catchUp();
      }
    };
    const kick = () => {
      if (stopped || running) return;
      // From the next turn of the event loop: the events accepted in this one (a group commit's
      // callers resume one after another) go in the first batch, not the first of them alone.
      running = new Promise((resolve) => setImmediate(resolve))
        .then(drain)
        .catch((error: unknown) => deps.logger.error({ err: error, pass: name }, 'routing alerts failed; retrying on the next sweep'))
        .finally(() => {
          running = undefined;
          if (from.size > 0 && !stopped) kick();
        });
    };
    return { kick, idle: async () => running };
  };
  const offlinePass = drainer('offline', queue, true, offlineBatch);
  const onlinePass = drainer('online', online, false, onlineBatch);
  const kick = () => offlinePass.kick();

  /** One matching pass over one site's events. */
  async function route(site: string, items: ReceivedEvent[], offline: boolean): Promise<void> {
    let events = items.map((i) => i.event);
    if (!offline && events.some((e) => e.thin)) {
      const complete = deps.matcher.complete;
      events = complete
        ? await complete(site, events).catch((error: unknown) => {
            deps.logger.warn({ err: error, site }, 'could not read the issue fields a webhook left out; matching what needs them later');
            return events;
          })
        : // Nothing can complete them: matched as they came, rather than waiting forever.
          events.map(({ thin: _thin, ...event }) => event);
    }
    const undecided = new Set<string>();
    const targets = await deps.matcher.targets(site, events, { offline, undecided });
    const decided: ReceivedEvent[] = [];
    const open: ReceivedEvent[] = [];
    const plans = items.map((received, index) => {
      const event = events[index];
      const done = routedTo.get(keyOf(received)) ?? new Set<string>();
      return { received, event, done, to: (targets.get(event.id) ?? []).filter((r) => !done.has(r.target.conversationId)) };
    });
    // All at once, so the outbox writes the batch's rows together (its group commit): on Azure
    // Tables a transaction per conversation instead of a read and a write per row.
    await Promise.all(plans.filter(({ to }) => to.length > 0).map(({ event, to }) => deps.outbox.enqueue(event, to)));
    for (const { received, event, done, to } of plans) {
      if (!undecided.has(event.id)) {
        decided.push(received);
        continue;
      }
      for (const r of to) done.add(r.target.conversationId);
      routedTo.set(keyOf(received), done);
      open.push(received);
    }
    if (decided.length > 0) {
      await deps.intake.markRouted(decided);
      for (const received of decided) release(received);
      deps.logger.debug({ site, events: decided.length }, 'alerts routed');
    }
    if (offline) {
      for (const received of open) {
        // Too many wait for Jira already: this one waits in the inbox, and a later sweep matches it again.
        if (routedTo.size > maxHeld) park(received);
        else online.set(keyOf(received), received);
      }
      if (open.length > 0) onlinePass.kick();
      return;
    }
    if (open.length === 0) {
      retryMs = RETRY_MIN_MS;
      return;
    }
    deps.logger.info({ site, events: open.length, retryMs }, 'some alerts wait for Jira to decide them; the rest went out');
    retryLater(open);
  }

  /** Matches events Jira could not decide again after a backoff (the sweep also picks them up). */
  function retryLater(open: readonly ReceivedEvent[]): void {
    const waiting = open.map((received) => [keyOf(received), received] as const);
    const delay = retryMs;
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    const previous = retrying;
    retrying = clock
      .sleep(delay, abort.signal)
      .then(
        () => {
          for (const [key, received] of waiting) if (routedTo.has(key) && !online.has(key)) online.set(key, received);
          onlinePass.kick();
        },
        () => undefined,
      )
      .then(() => previous);
  }

  const unsubscribe = deps.intake.onAccepted((received) => {
    // Full: the event stays in the inbox only, for a catch-up to read back.
    if (take(received)) kick();
  });

  /**
   * Reads the inbox a page at a time and queues what this router does not hold, until it is full.
   * `all`: every event (the first sweep, left before this process started; a catch-up, the events
   * left in the store while full, from where the last one stopped). Otherwise only events accepted
   * over a sweep ago: a fresher one belongs to the instance that accepted it and routes it itself
   * (taking those too routed every fresh event once per instance when the store was slow); one
   * still there a sweep later was left by a dead instance.
   */
  async function scan(all: boolean, from?: ItemKey): Promise<'full' | 'end'> {
    let after = from;
    for (;;) {
      const page = await deps.intake.received({ limit: SCAN_PAGE, ...(after ? { after } : {}) });
      for (const received of page) {
        const key = keyOf(received);
        if (all ? parked.has(key) : clock.now() - received.receivedAt <= sweepMs) continue;
        if (!ours(received)) continue;
        parked.delete(key);
        if (!take(received)) {
          cursor = after;
          kick();
          return 'full';
        }
        after = received.key;
      }
      kick();
      if (page.length < SCAN_PAGE || stopped) return 'end';
      after = page[page.length - 1].key;
    }
  }

  /**
   * This instance's to route: accepted here, or by an instance whose router no longer sweeps (dead),
   * or by one unknown. Taking a live instance's events too, once routing there lagged a sweep,
   * routed a burst's events twice, each a transaction refused and read again per conversation.
   */
  function ours(received: ReceivedEvent): boolean {
    const by = received.acceptedBy;
    return by === undefined || by === deps.intake.instance || alive === undefined || !alive.has(by);
  }

  /** Reads back events left in the inbox while the router was full, once half of it is free. */
  function catchUp(): void {
    if (!behind || stopped || scanning || held.size - routedTo.size > maxHeld / 2) return;
    behind = false;
    const from = cursor;
    cursor = undefined;
    scanning = scan(true, from).then(
      (outcome) => {
        scanning = undefined;
        // Read from the middle to the end: what was left before that point is read next time.
        if (outcome === 'end' && from) behind = true;
        catchUp();
      },
      (error: unknown) => {
        scanning = undefined;
        behind = true;
        // The sweep tries again; no loop on a store that fails.
        deps.logger.warn({ err: error }, 'reading back the alert inbox failed; trying again on the next sweep');
      },
    );
  }

  let first = true;
  const sweep = startPeriodicLoop({
    name: 'event router sweep',
    intervalMs: sweepMs,
    logger: deps.logger,
    clock,
    async run() {
      for (const [key, received] of failed) {
        failed.delete(key);
        queue.set(key, received);
      }
      kick();
      // A router that missed three sweeps is taken for dead: its events are swept up by the others.
      alive = await deps.intake.routersAlive(3 * sweepMs);
      await scan(first);
      first = false;
      catchUp();
      if (clock.now() - prunedAt >= pruneMs) {
        prunedAt = clock.now();
        await deps.intake.prune(prunedAt);
      }
    },
  });

  return {
    async stop() {
      stopped = true;
      unsubscribe();
      abort.abort(new Error('event router stopped'));
      await sweep.stop();
      await scanning;
      await retrying;
      await offlinePass.idle();
      await onlinePass.idle();
    },
  };
}
