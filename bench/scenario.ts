/**
 * One benchmark scenario: a server started in its own process (so the load generator does not
 * share its event loop) and the request autocannon repeats against it.
 */
export interface Scenario {
  name: string;
  /** What this scenario is compared with in the table, by name. */
  baseline?: string;
  start(): Promise<{ url: string; close(): Promise<void> }>;
  request: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string };
}
