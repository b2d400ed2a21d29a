/** When a group commit writes what waits. */
export interface FlushPolicy<I> {
  /**
   * Writes running at once. Calls made while that many run wait, and go together as one write when
   * one of them ends. Default: no limit, so every turn of the event loop writes what it was given.
   */
  inFlight?: number;
  /** What one write carries at most, by `size` (one call's input is never split); default no limit. */
  maxSize?: number;
  /** The size of one input for maxSize; default 1. */
  size?: (input: I) => number;
}

/**
 * Group commit: the calls made in one turn of the event loop, and, under `policy.inFlight`, those
 * made while earlier writes run, are written by one `write` (one SQLite transaction, one batch of
 * Azure Tables transactions), with the inputs in call order; `write` answers one result per input
 * and each call resolves with its own, or all of that write reject with its error. A commit costs
 * about the same for one item as for a few dozen, so work that many callers do at once (a burst's
 * webhooks, a routing batch's enqueues, a burst's sends being recorded) pays for one.
 */
export function groupCommit<I, R>(write: (inputs: I[]) => Promise<R[]>, policy: FlushPolicy<I> = {}): (input: I) => Promise<R> {
  const inFlight = policy.inFlight ?? Infinity;
  const maxSize = policy.maxSize ?? Infinity;
  const size = policy.size ?? (() => 1);
  const waiting: Array<{ input: I; resolve(result: R): void; reject(error: Error): void }> = [];
  let running = 0;
  let scheduled = false;

  const flush = async (batch: typeof waiting): Promise<void> => {
    try {
      const results = await write(batch.map((call) => call.input));
      batch.forEach((call, i) => call.resolve(results[i]));
    } catch (error) {
      for (const call of batch) call.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const pump = () => {
    scheduled = false;
    while (running < inFlight && waiting.length > 0) {
      let total = size(waiting[0].input);
      let count = 1;
      while (count < waiting.length && total + size(waiting[count].input) <= maxSize) total += size(waiting[count++].input);
      running += 1;
      void flush(waiting.splice(0, count)).finally(() => {
        running -= 1;
        pump();
      });
    }
  };
  return (input) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!scheduled && running < inFlight) {
        scheduled = true;
        setImmediate(pump);
      }
    });
}
