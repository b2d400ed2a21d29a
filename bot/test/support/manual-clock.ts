import type { Clock } from '../../src/jira/clock';

interface Sleeper {
  at: number;
  resolve: () => void;
}

/**
 * A clock that moves only when the test says so. Sleepers wake in time order as `advance`
 * passes them, with the event loop given a few turns after each so awaiting code (and real
 * loopback sockets) can run before the next one wakes.
 */
export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];

  constructor(private current = 1_700_000_000_000) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's reason passes through, as systemClock does
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as above
        reject(signal!.reason);
      };
      // A sleeper that wakes takes its abort listener with it: a long-lived signal shared by many
      // sleeps would otherwise gather listeners until Node warns of a leak (MaxListenersExceeded).
      const sleeper: Sleeper = {
        at: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sleep durations still pending, relative to now. */
  pending(): number[] {
    return this.sleepers.map((s) => s.at - this.current).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.current = Math.max(this.current, due.at);
      due.resolve();
    }
    this.current = target;
    await settle();
  }
}

/** Lets pending promise chains and I/O callbacks run. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
