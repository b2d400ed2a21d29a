import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import type { Store } from '../store/store';
import type { AlertIntake } from './alert-intake';
import { pollEvents } from './poll-events';
import { storeKeyPart } from '../store/store-key-part';
import { startPeriodicLoop } from './start-periodic-loop';
import type { Subscription } from './subscription';

/**
 * One JQL search over a site, every page, as the lead wires it to the Jira client:
 * `POST /rest/api/3/search/jql` with `expand: changelog`, fields `summary, status, priority,
 * issuetype, project, assignee, reporter, creator, labels, created, updated, comment`,
 * following `nextPageToken`.
 */
export interface SiteSearch {
  search(site: string, jql: string): Promise<Array<Record<string, unknown>>>;
}

const STATE_TABLE = 'alert-poll-state';
/** Jira's `updated` has minute precision and clocks drift: look a little further back; dedupe drops repeats. */
const OVERLAP_MS = 2 * 60_000;
const FIRST_LOOK_BACK_MS = 5 * 60_000;

/**
 * The JQL one poll sends for all of a site's subscriptions: their projects (or every project
 * when one subscription names none) updated since the last poll. A relative period avoids the
 * searching user's time zone, which absolute JQL dates are read in.
 */
export function pollJql(subscriptions: readonly Subscription[], sinceMs: number, nowMs: number, options: { wholeSite?: boolean } = {}): string {
  const minutes = Math.max(1, Math.ceil((nowMs - sinceMs) / 60_000));
  const updated = `updated >= -${minutes}m`;
  if (options.wholeSite || subscriptions.length === 0 || subscriptions.some((s) => s.projects.length === 0)) return `${updated} ORDER BY updated ASC`;
  const projects = [...new Set(subscriptions.flatMap((s) => s.projects))].sort();
  return `project in (${projects.map((p) => `"${p}"`).join(', ')}) AND ${updated} ORDER BY updated ASC`;
}

export interface SitePoller {
  /** Polls every site once now (also what each interval does). */
  pollOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * For sites without webhooks: one search per site per interval covering all its active
 * subscriptions, turned into IssueEvents and accepted like webhook events (same ids, so a site
 * that also sends webhooks gets each change once).
 */
export function startSitePoller(deps: {
  /** Sites to poll: those without working webhooks. */
  sites(): Promise<string[]>;
  subscriptions: { forSite(site: string): Promise<Subscription[]> };
  /**
   * Sites something besides subscriptions watches (open grooming panels, whose queries may span
   * any project): polled even without subscriptions, over every project.
   */
  wholeSite?(site: string): boolean;
  search: SiteSearch;
  intake: Pick<AlertIntake, 'accept'>;
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** Default 2 minutes. */
  intervalMs?: number;
  /** Start the interval loop; false to drive pollOnce by hand. */
  autoStart?: boolean;
}): SitePoller {
  const clock = deps.clock ?? systemClock;
  const intervalMs = deps.intervalMs ?? 2 * 60_000;

  async function pollSite(site: string): Promise<void> {
    const subscriptions = (await deps.subscriptions.forSite(site)).filter((s) => !s.muted);
    const wholeSite = deps.wholeSite?.(site) ?? false;
    if (subscriptions.length === 0 && !wholeSite) return;
    const key = { table: STATE_TABLE, partition: 'sites', row: storeKeyPart(site) };
    const startedAt = clock.now();
    const last = (await deps.store.get<{ polledAt: number }>(key))?.value.polledAt ?? startedAt - FIRST_LOOK_BACK_MS;
    const since = last - OVERLAP_MS;
    const issues = await deps.search.search(site, pollJql(subscriptions, since, startedAt, { wholeSite }));
    let accepted = 0;
    for (const issue of issues) {
      for (const event of pollEvents(issue, site, since)) if (await deps.intake.accept(event)) accepted += 1;
    }
    // The poll's start, not its end: changes made while it ran are in the next window.
    await deps.store.put(key, { polledAt: startedAt });
    deps.logger.debug({ site, issues: issues.length, accepted }, 'site polled');
  }

  async function pollOnce(): Promise<void> {
    for (const site of await deps.sites()) {
      try {
        await pollSite(site);
      } catch (error) {
        // The window is not advanced, so the next poll covers this one too.
        deps.logger.warn({ err: error, site }, 'polling a site failed');
      }
    }
  }

  const loop = deps.autoStart === false ? undefined : startPeriodicLoop({ name: 'site poller', intervalMs, run: pollOnce, logger: deps.logger, clock });

  return {
    pollOnce,
    async stop() {
      await loop?.stop();
    },
  };
}
