export interface WaitForHttpOptions {
  timeoutMs: number;
  /** Which answers mean "up"; any HTTP answer by default. */
  accept?: (status: number) => boolean;
  /** Stop early, e.g. when the process that should answer has died. */
  stillWorthWaiting?: () => boolean;
}

/** Polls a URL until it answers, so the next part starts only once this one serves. */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const accept = options.accept ?? (() => true);
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (options.stillWorthWaiting && !options.stillWorthWaiting()) throw new Error(`gave up waiting for ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (accept(response.status)) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${url} did not answer within ${options.timeoutMs} ms (last: ${last})`);
}
