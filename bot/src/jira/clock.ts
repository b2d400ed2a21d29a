/**
 * Time as a dependency: backoff, rate-limit waits and token expiry read it, so tests drive them
 * with sinon fake timers or a hand-made clock instead of waiting.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// Globals are looked up on every call, not captured, so sinon fake timers installed later apply.
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's reason passes through unchanged, as fetch and timers/promises reject with it
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        globalThis.clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the reason passes through, as above
        reject(signal?.reason);
      };
      const timer = globalThis.setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
