import type { Store } from '../store/store';

export interface ReadinessResult {
  ready: boolean;
  /** 'ok', or what is wrong with that dependency. */
  checks: Record<string, string>;
}

export type ReadinessCheck = () => Promise<ReadinessResult>;

/**
 * Ready means the store answers and, when a Jira site is configured, that it answers HTTP at
 * all: any status, even 401, proves the site is reachable; only a network failure does not.
 */
export function readinessCheck(deps: { store: Store; jiraBaseUrl?: string; timeoutMs?: number }): ReadinessCheck {
  const timeoutMs = deps.timeoutMs ?? 2000;
  return async () => {
    const checks: Record<string, string> = {};
    await deps.store.ping().then(
      () => (checks.store = 'ok'),
      (error: Error) => (checks.store = `failed: ${error.message}`),
    );
    if (deps.jiraBaseUrl) {
      // Any answer proves reachability, a redirect included: it is not followed (the site policy's rule).
      await fetch(`${deps.jiraBaseUrl}/rest/api/3/serverInfo`, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) }).then(
        () => (checks.jira = 'ok'),
        (error: Error) => (checks.jira = `unreachable: ${error.name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : error.message}`),
      );
    }
    return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
  };
}
