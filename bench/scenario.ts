/**
 * One benchmark scenario: a server started in its own process (so the load generator does not
 * share its event loop) and the request autocannon repeats against it.
 */
export interface Scenario {
  name: string;
  /** What this scenario is compared with in the table, by name. */
  baseline?: string;
  /** DESIGN.md's target for this scenario against its baseline, shown with a pass/fail mark. */
  target?: { text: string; met(against: { throughput: number; p99: number }): boolean };
  /**
   * Measured in one-second slices taken in turn with its baseline's (both servers up), so that
   * other work on a shared machine weighs on both alike; the ratio is then what it measures, not
   * when each ran. For throughput targets; the latency columns show the median of the slices.
   */
  interleaveWithBaseline?: boolean;
  start(): Promise<{ url: string; close(): Promise<void> }>;
  request: {
    method: 'GET' | 'POST';
    path: string;
    headers?: Record<string, string>;
    body?: string;
    /**
     * Called in the load generator before each request to replace its body and add headers, for
     * servers that would otherwise answer a repeated request from a shortcut (dedupe, caches).
     */
    vary?: () => { body: string; headers?: Record<string, string> };
  };
}
