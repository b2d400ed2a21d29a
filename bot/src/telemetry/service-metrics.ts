import { metrics, type MeterProvider } from '@opentelemetry/api';

/**
 * The service's own metrics, through OpenTelemetry's global API: no-ops until a meter provider is
 * registered (start-telemetry.ts, when APPLICATIONINSIGHTS_CONNECTION_STRING is set), so any folder
 * may call these without knowing whether telemetry is on. Attributes carry sites, causes and
 * kinds, never users, keys of issues or message text.
 */
const METER = 'jira-teams';

// The API has no proxy for meters: one taken before a provider is registered stays a no-op. So the
// instruments are made on first use, and made again when the registered provider changed.
let made: { provider: MeterProvider; instruments: ReturnType<typeof make> } | undefined;
function make(provider: MeterProvider) {
  const meter = provider.getMeter(METER);
  return {
    jiraPoints: meter.createCounter('jira_teams.jira.points', { description: 'Jira rate-limit points spent, by site' }),
    jira429: meter.createCounter('jira_teams.jira.throttled', { description: 'Jira 429 answers, by site and the limit that refused (quota, burst, issue write)' }),
    alertLag: meter.createHistogram('jira_teams.alert.lag', { unit: 'ms', description: 'From the change in Jira to its alert in Teams, per alert' }),
    teams429: meter.createCounter('jira_teams.teams.throttled', { description: 'Teams 429 answers to proactive sends' }),
    parked: meter.createCounter('jira_teams.alert.parked', { description: 'Alerts parked after their last failed attempt, by error code' }),
  };
}
function instruments() {
  const provider = metrics.getMeterProvider();
  if (made?.provider !== provider) made = { provider, instruments: make(provider) };
  return made.instruments;
}

/** Points a Jira call is estimated to cost (Jira's headers tell the budget left, not each call's price). */
export function countJiraPoints(site: string, points: number): void {
  if (points > 0) instruments().jiraPoints.add(points, { site });
}

/** Jira answered 429; `cause` names the limit: quota, burst or issue-write. */
export function countJiraThrottled(site: string, cause: string): void {
  instruments().jira429.add(1, { site, cause });
}

/** An alert reached Teams `lagMs` after its change happened in Jira; `mode`: post, update, digest or reply. */
export function recordAlertLag(lagMs: number, mode: string): void {
  if (Number.isFinite(lagMs)) instruments().alertLag.record(Math.max(0, lagMs), { mode });
}

/** Teams answered a proactive send with 429. */
export function countTeamsThrottled(): void {
  instruments().teams429.add(1);
}

/** An alert was parked (no more retries); `code` is the stored error code, e.g. TEAMS_403. */
export function countAlertParked(code: string): void {
  instruments().parked.add(1, { code });
}

/** Gauges read when metrics are exported (once a minute): the value is asked for, not pushed. */
export function observeGauges(gauges: Record<string, { description: string; read(): number | Promise<number> }>): void {
  const meter = metrics.getMeter(METER);
  for (const [name, gauge] of Object.entries(gauges)) {
    meter.createObservableGauge(name, { description: gauge.description }).addCallback(async (result) => {
      try {
        result.observe(await gauge.read());
      } catch {
        // A store that cannot answer now reports nothing for this interval rather than a wrong zero.
      }
    });
  }
}
