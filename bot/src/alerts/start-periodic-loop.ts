import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';

export interface PeriodicLoop {
  /** No new run starts; resolves once the run in flight (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `run` now and then `intervalMs` after each run ends, until stopped. The background workers
 * (site poller, webhook registrar, the router's and the delivery worker's sweeps) share this so
 * that each stops the same way: the sleep is cut short, the run in flight is awaited, not
 * abandoned, so nothing writes to a store that is about to close. A run that throws is logged
 * under `name` and the loop goes on: the next run covers what this one missed.
 */
export function startPeriodicLoop(options: { name: string; intervalMs: number; run(): Promise<void>; logger: Logger; clock?: Clock }): PeriodicLoop {
  const clock = options.clock ?? systemClock;
  const abort = new AbortController();
  let stopped = false;

  const loop = (async () => {
    while (!stopped) {
      try {
        await options.run();
      } catch (error) {
        if (!stopped) options.logger.error({ err: error, loop: options.name }, 'periodic run failed; trying again next time');
      }
      if (stopped) break;
      await clock.sleep(options.intervalMs, abort.signal).catch(() => undefined);
    }
  })();

  return {
    async stop() {
      stopped = true;
      abort.abort(new Error(`${options.name} stopped`));
      await loop;
    },
  };
}
