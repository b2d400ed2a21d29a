import { setMaxListeners } from 'node:events';
import type { Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';

export interface DrainScheduler {
  /** Queues these conversations for a drain now (an id already queued keeps its place). */
  wake(conversationIds: readonly string[]): void;
  /** Queues a conversation at `at`; the earliest planned wake-up wins. */
  wakeAt(conversationId: string, at: number): void;
  /** Whether another conversation waits for a drain slot (a long drain then yields). */
  othersWaiting(): boolean;
  /** Drains start from here on; until then wake-ups only queue (the worker first seeds its limits). */
  open(): void;
  /** Starts no drain, cancels planned wake-ups and waits for the drains running. */
  stop(): Promise<void>;
}

/**
 * Which conversation drains when: at most `concurrency` drains at once, at most one per
 * conversation (so its order and the update-or-post decision hold), the rest queued in the order
 * they were woken. A drain that ends while its conversation was woken again runs again.
 */
export function startDrainScheduler(options: { concurrency: number; drain(conversationId: string): Promise<void>; clock: Clock; logger: Logger }): DrainScheduler {
  const { clock, logger } = options;
  const waiting = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const wakeups = new Map<string, number>();
  const abort = new AbortController();
  // Every conversation waiting for its rate window holds one abortable sleep on this signal.
  setMaxListeners(0, abort.signal);
  let opened = false;
  let stopped = false;

  const pump = () => {
    if (stopped || !opened) return;
    for (const conversationId of waiting) {
      if (running.size >= options.concurrency) break;
      // A running drain lists the queue again before it ends; the id stays waiting until then.
      if (running.has(conversationId)) continue;
      waiting.delete(conversationId);
      const run = options
        .drain(conversationId)
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

  return {
    wake,
    wakeAt(conversationId, at) {
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
    },
    othersWaiting: () => waiting.size > 0,
    open() {
      opened = true;
      pump();
    },
    async stop() {
      stopped = true;
      abort.abort(new Error('delivery worker stopped'));
      await Promise.allSettled([...running.values()]);
    },
  };
}
