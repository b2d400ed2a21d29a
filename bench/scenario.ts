/**
 * One benchmark scenario: a server started in its own process (so the load generator does not
 * share its event loop) and the request autocannon repeats against it.
 */
export interface Scenario {
  name: string;
  /**
   * What this scenario is compared with, by name: the two are measured in alternating one-second
   * turns (both servers up), so that other work on a shared machine weighs on both alike.
   */
  baseline?: string;
  /** DESIGN.md's target for this scenario against its baseline, decided on the median ratios over the turns. */
  target?: { text: string; met(against: { throughput: number; p99: number }): boolean };
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
