import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { AlertIntake, ReceivedEvent } from './alert-intake';
import type { AlertOutbox, AlertRoute } from './alert-outbox';
import type { IssueEvent } from './issue-event';
import { startPeriodicLoop } from './start-periodic-loop';

/** Decides which conversations each event goes to; events come in batches of one site. */
export interface EventMatcher {
  targets(site: string, events: readonly IssueEvent[]): Promise<Map<string, AlertRoute[]>>;
}

export interface EventRouter {
  stop(): Promise<void>;
}

/**
 * Moves accepted events into the outbox: match in batches per site (one Jira query per site
 * and batch when JQL must be checked remotely), enqueue, then mark routed. A crash in between
 * only means routing again, and the outbox ignores rows it already has.
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
  const queue = new Map<string, ReceivedEvent>();
  let stopped = false;
  let running: Promise<void> | undefined;

  const keyOf = (received: ReceivedEvent) => `${received.key.partition}/${received.key.row}`;

  const kick = () => {
    if (stopped || running) return;
    running = drain()
      .catch((error: unknown) => deps.logger.error({ err: error }, 'routing alerts failed; retrying on the next sweep'))
      .finally(() => {
        running = undefined;
        if (queue.size > 0 && !stopped) kick();
      });
  };

  async function drain(): Promise<void> {
    while (queue.size > 0 && !stopped) {
      const batch = [...queue.values()].slice(0, batchSize);
      for (const received of batch) queue.delete(keyOf(received));
      const bySite = new Map<string, ReceivedEvent[]>();
      for (const received of batch) bySite.set(received.event.site, [...(bySite.get(received.event.site) ?? []), received]);
      for (const [site, items] of bySite) {
        try {
          const targets = await deps.matcher.targets(
            site,
            items.map((i) => i.event),
          );
          for (const { event } of items) {
            const to = targets.get(event.id) ?? [];
            if (to.length > 0) await deps.outbox.enqueue(event, to);
          }
          await deps.intake.markRouted(items);
          deps.logger.debug({ site, events: items.length }, 'alerts routed');
        } catch (error) {
          // Left as received: the next sweep tries again.
          deps.logger.warn({ err: error, site, events: items.length }, 'routing a batch failed');
        }
      }
    }
  }

  const unsubscribe = deps.intake.onAccepted((received) => {
    queue.set(keyOf(received), received);
    kick();
  });

  const sweep = startPeriodicLoop({
    name: 'event router sweep',
    intervalMs: sweepMs,
    logger: deps.logger,
    clock,
    async run() {
      for (const received of await deps.intake.received()) queue.set(keyOf(received), received);
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
      await sweep.stop();
      await running;
    },
  };
}
