import { setMaxListeners } from 'node:events';
import type { Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';

export interface DrainScheduler {
  /** Queues these conversations for a drain now (an id already queued keeps its place). */
  wake(conversationIds: readonly string[]): void;
  /** Queues a conversation at `at`; the earliest planned wake-up wins. */
  wakeAt(conversationId: string, at: number): void;
  /** Whether a conversation other than this one waits for a drain slot (a long drain then yields). */
  othersWaiting(conversationId: string): boolean;
  /** Queues a conversation behind every one waiting now (a drain that yields its turn). */
  requeue(conversationId: string): void;
  /**
   * Runs `wait` (a send to Teams) with the calling drain's slot given to another conversation
   * meanwhile, and resolves once the drain has a slot again, before any drain not started yet.
   * Call only from inside a drain.
   */
  whileWaiting<T>(wait: () => Promise<T>): Promise<T>;
  /** Drains start from here on; until then wake-ups only queue (the worker first seeds its limits). */
  open(): void;
  /** Starts no drain, cancels planned wake-ups and waits for the drains running. */
  stop(): Promise<void>;
}

/**
 * Which conversation drains when: at most one drain per conversation (so its order and the
 * update-or-post decision hold), and at most `concurrency` drains holding a slot at once, the rest
 * queued in the order they were woken. A drain that ends while its conversation was woken again
 * runs again.
 *
 * A slot bounds the drains' work on the store and the CPU, not their waiting on Teams: a drain
 * gives its slot up while its send is on the wire (`whileWaiting`). Teams' windows chain each send
 * to the one 8 before it (8 per 2 s), counted from that one's answer, so a send that waits for a
 * slot delays every later one of its conversation; sends of different conversations therefore all
 * go at once, however many. Store work stays bounded: on a remote store (Azure Tables) every
 * drain's preparation is a few round trips, and dozens of drains preparing at once share the
 * store's answers so evenly that none gets to its first send soon.
 */
export function startDrainScheduler(options: { concurrency: number; drain(conversationId: string): Promise<void>; clock: Clock; logger: Logger }): DrainScheduler {
  const { clock, logger } = options;
  const waiting = new Set<string>();
  /**
   * Conversations whose planned time came (a rate window's edge, a backoff's end): they go before
   * those merely woken. Teams' windows chain each send to the one 8 before it, so a send that waits
   * in the queue behind other conversations' later messages delays every later one of its own;
   * those others have time to spare (their own window edges are further off).
   */
  const due = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const wakeups = new Map<string, number>();
  /** Drains back from Teams, waiting for a slot to record their send; they go first. */
  const resuming: Array<() => void> = [];
  /** Slots in use: drains running and not waiting on Teams. */
  let busy = 0;
  const abort = new AbortController();
  // Every conversation waiting for its rate window holds one abortable sleep on this signal.
  setMaxListeners(0, abort.signal);
  let opened = false;
  let stopped = false;

  const pump = () => {
    // A send already made is recorded even while stopping.
    while (resuming.length > 0 && busy < options.concurrency) {
      busy += 1;
      resuming.shift()!();
    }
    if (stopped || !opened) return;
    start(due);
    start(waiting);
  };

  const start = (queue: Set<string>) => {
    for (const conversationId of queue) {
      if (busy >= options.concurrency) break;
      // A running drain lists the queue again before it ends; the id stays waiting until then.
      if (running.has(conversationId)) continue;
      queue.delete(conversationId);
      busy += 1;
      const run = options
        .drain(conversationId)
        .catch((error: unknown) => {
          if (!stopped) logger.error({ err: error, conversationId }, 'alert delivery failed; retrying on the next sweep');
        })
        .finally(() => {
          running.delete(conversationId);
          busy -= 1;
          pump();
        });
      running.set(conversationId, run);
    }
  };

  const wake = (conversationIds: readonly string[]) => {
    for (const id of conversationIds) if (!due.has(id)) waiting.add(id);
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
          waiting.delete(conversationId);
          due.add(conversationId);
          pump();
        })
        .catch(() => undefined);
    },
    // Its own id is queued when rows came for it while it drains; that is no one else waiting.
    othersWaiting: (conversationId) => waiting.size + due.size - (waiting.has(conversationId) || due.has(conversationId) ? 1 : 0) > 0,
    requeue(conversationId) {
      due.delete(conversationId);
      waiting.delete(conversationId);
      wake([conversationId]);
    },
    async whileWaiting(wait) {
      busy -= 1;
      pump();
      try {
        return await wait();
      } finally {
        await new Promise<void>((resume) => {
          resuming.push(resume);
          pump();
        });
      }
    },
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
