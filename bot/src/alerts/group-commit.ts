/**
 * Group commit: every call made in one turn of the event loop is written by one `write` (one
 * SQLite transaction, one batch of Azure Tables transactions), with the inputs in call order;
 * `write` answers one result per input and each call resolves with its own, or all reject with
 * write's error. A commit costs about the same for one item as for a few dozen, so work that many
 * callers do at once (a routing batch's enqueues, a burst's sends being recorded) pays for one.
 */
export function groupCommit<I, R>(write: (inputs: I[]) => Promise<R[]>): (input: I) => Promise<R> {
  let waiting: Array<{ input: I; resolve(result: R): void; reject(error: Error): void }> = [];
  const flush = async (): Promise<void> => {
    const batch = waiting;
    waiting = [];
    try {
      const results = await write(batch.map((call) => call.input));
      batch.forEach((call, i) => call.resolve(results[i]));
    } catch (error) {
      for (const call of batch) call.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return (input) =>
    new Promise<R>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(() => void flush());
      waiting.push({ input, resolve, reject });
    });
}
