import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { AlertIntake, ReceivedEvent } from './alert-intake';
import type { AlertOutbox, AlertRoute } from './alert-outbox';
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
  /** Full scans for events accepted by other instances or left by a crash. */
  sweepMs?: number;
  /** How often old dedupe ids are dropped (a full scan of them). */
  pruneMs?: number;
  batchSize?: number;
}): EventRouter {
  const clock = deps.clock ?? systemClock;
  const sweepMs = deps.sweepMs ?? 30_000;
  const pruneMs = deps.pruneMs ?? 3_600_000;
  let prunedAt = clock.now();
  const batchSize = deps.batchSize ?? 200;
  /** Accepted events for the pass without Jira, and events for the pass with Jira, by key. */
  const queue = new Map<string, ReceivedEvent>();
  const online = new Map<string, ReceivedEvent>();
  /** Events a pass is matching or enqueueing right now, by key: the sweep leaves them to it. */
  const routing = new Set<string>();
  /** Conversations an event not yet fully decided was already routed to, by key. */
  const routedTo = new Map<string, Set<string>>();
  let stopped = false;
  let retryMs = RETRY_MIN_MS;
  let retrying: Promise<void> | undefined;
  const abort = new AbortController();

  const keyOf = (received: ReceivedEvent) => `${received.key.partition}/${received.key.row}`;

  /**
   * The two passes drain independently, so a slow or failing Jira (the online pass retries for
   * seconds before it gives up) never delays what the offline pass can send.
   */
  const drainer = (name: string, from: Map<string, ReceivedEvent>, offline: boolean) => {
    let running: Promise<void> | undefined;
    const drain = async () => {
      while (from.size > 0 && !stopped) {
        const batch = [...from.values()].slice(0, batchSize);
        for (const received of batch) {
          from.delete(keyOf(received));
          routing.add(keyOf(received));
        }
        const bySite = new Map<string, ReceivedEvent[]>();
        for (const received of batch) bySite.set(received.event.site, [...(bySite.get(received.event.site) ?? []), received]);
        for (const [site, items] of bySite) {
          try {
            await route(site, items, offline);
          } catch (error) {
            // Left as received: the next sweep tries again.
            deps.logger.warn({ err: error, site, events: items.length, pass: name }, 'routing a batch failed');
          } finally {
            for (const received of items) routing.delete(keyOf(received));
          }
        }
      }
    };
    const kick = () => {
      if (stopped || running) return;
      running = drain()
        .catch((error: unknown) => deps.logger.error({ err: error, pass: name }, 'routing alerts failed; retrying on the next sweep'))
        .finally(() => {
          running = undefined;
          if (from.size > 0 && !stopped) kick();
        });
    };
    return { kick, idle: async () => running };
  };
  const offlinePass = drainer('offline', queue, true);
  const onlinePass = drainer('online', online, false);
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
      for (const received of decided) routedTo.delete(keyOf(received));
      deps.logger.debug({ site, events: decided.length }, 'alerts routed');
    }
    if (offline) {
      for (const received of open) online.set(keyOf(received), received);
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
    queue.set(keyOf(received), received);
    kick();
  });

  /** Inbox keys at the last sweep; undefined before the first. */
  let seen: Set<string> | undefined;
  const sweep = startPeriodicLoop({
    name: 'event router sweep',
    intervalMs: sweepMs,
    logger: deps.logger,
    clock,
    async run() {
      const inbox = await deps.intake.received();
      for (const received of inbox) {
        const key = keyOf(received);
        // Routed here right now, or new since the last sweep (another instance accepted it and
        // routes it itself): taking those too routed every fresh event once per instance when
        // the store was slow. One still there a sweep later was left by a dead instance or a
        // failed batch. The first sweep takes everything: it was left before this one started.
        if (routing.has(key) || (seen && !seen.has(key))) continue;
        queue.set(key, received);
      }
      seen = new Set(inbox.map(keyOf));
      kick();
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
      await retrying;
      await offlinePass.idle();
      await onlinePass.idle();
    },
  };
}
