import { systemClock, type Clock } from '../jira/clock';
import type { Logger } from '../log/create-logger';
import { StoreConflictError, type Store } from '../store/store';
import type { AlertIntake } from './alert-intake';
import { pollEvents } from './poll-events';
import { storeKeyPart } from '../store/store-key-part';
import type { Subscription } from './subscription';
import type { IssueEvent } from './issue-event';
import type { PollerLease } from './poller-lease';
import { WEBHOOK_QUIET_MS, WebhookHealthState, webhookHealthState, type SiteWebhookHealth, type WebhookHealth } from './webhook-health';
import { webhookJqlFilter } from './webhook-registrar';

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
/** A site's poll window: where the next one starts, and the lease generation of the poll that set it. */
interface PollState {
  polledAt: number;
  generation?: number;
}
const NOT_POLLED = { polled: false } as const;
/**
 * Jira's search is eventually consistent ("recent updates might not be immediately visible"): a
 * change made just before a poll may be missing from its answer. Each window therefore reaches this
 * far before the previous poll's start; intake's dedupe drops what is found twice. Every issue in
 * the overlap is fetched (and paid for, a point each) again, so it is only as long as the lag needs.
 */
const LAG_ALLOWANCE_MS = 5_000;
/**
 * Room for a pass's own run time and timer jitter between two polls of a site (see pollCadenceMs).
 * A pass that runs longer only makes the next window a minute longer: it costs points, loses nothing.
 */
const SCHEDULE_SLACK_MS = 5_000;
const FIRST_LOOK_BACK_MS = 5 * 60_000;
/**
 * A site the poller left alone for long (its webhooks were healthy) is searched from at most this
 * far back: intake forgets event ids after 24 hours, and an older change found again would be
 * alerted twice. Webhooks delivered what came before, as far as anyone knew.
 */
const MAX_LOOK_BACK_MS = 12 * 3_600_000;

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

/**
 * How long the poller waits between passes for a configured interval. JQL takes a relative period
 * in whole minutes (`updated >= -2m`), and Jira compares dates to the minute, which widens a window
 * by up to a minute more. A poll every 2 minutes whose window also covers the lag allowance would
 * ask for 3 minutes and fetch a minute or more of changes it already has, every time. The poller
 * instead waits a whole number of minutes less the allowance and some slack, so each window fits
 * its minutes: never longer than the configured interval (a 2-minute interval polls every 110 s
 * with 2-minute windows). Where fitting would cost more than it saves (short intervals), the
 * interval is kept as it is.
 */
export function pollCadenceMs(intervalMs: number): number {
  const margin = LAG_ALLOWANCE_MS + SCHEDULE_SLACK_MS;
  const fitted = Math.floor((intervalMs + margin) / 60_000) * 60_000 - margin;
  if (fitted <= 0) return intervalMs;
  // Points per hour follow the minutes searched per poll (half a minute more on average, as Jira
  // compares to the minute) over the time between polls: fitting must not cost more than it saves.
  const cost = (cadence: number) => (Math.ceil((cadence + margin) / 60_000) * 60_000 + 30_000) / cadence;
  return cost(fitted) < cost(intervalMs) ? fitted : intervalMs;
}

export interface SitePoller {
  /** Polls every site that needs it once now (also what each interval does). */
  pollOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** The projects a dynamic webhook filter made by webhookJqlFilter covers. */
const filterProjects = (jqlFilter: string) => new Set([...jqlFilter.matchAll(/"([^"]+)"/g)].map((m) => m[1].toUpperCase()));

/**
 * For sites whose webhooks are not known to work: one search per site per interval covering all
 * its active subscriptions, turned into IssueEvents and accepted like webhook events (same ids,
 * so a site that also sends webhooks gets each change once). With `health`, a site is searched
 * unless its webhooks are healthy (see webhookHealthState), and a search that finds changes no
 * webhook reported marks the site silent: it is then searched every interval until a webhook
 * arrives. With `lease`, only the instance holding a site's lease searches it.
 */
export function startSitePoller(deps: {
  /** Sites that may need polling: those with subscriptions or open panels. */
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
  /** Which sites' webhooks work; without it every site is polled. */
  health?: WebhookHealth;
  /** One poller per site across instances; without it this instance polls every site. */
  lease?: PollerLease;
  clock?: Clock;
  /** Default 2 minutes; passes come a little more often (see pollCadenceMs). */
  intervalMs?: number;
  /** Start the interval loop; false to drive pollOnce by hand. */
  autoStart?: boolean;
}): SitePoller {
  const clock = deps.clock ?? systemClock;
  const intervalMs = deps.intervalMs ?? 2 * 60_000;
  const cadenceMs = pollCadenceMs(intervalMs);

  /**
   * Changes the poller accepted first that webhooks should have brought: made after the registration,
   * in a project it covers. One whose webhook was merely late clears the mark when it arrives.
   */
  function missedBy(health: SiteWebhookHealth | undefined, accepted: IssueEvent[], subscriptions: Subscription[]): number {
    if (!health || (health.lastWebhookAt === undefined && !health.registration)) return 0;
    const registration = health.registration;
    const covered = registration
      ? filterProjects(registration.jqlFilter)
      : subscriptions.some((s) => s.projects.length === 0)
        ? undefined
        : new Set(subscriptions.flatMap((s) => s.projects.map((p) => p.toUpperCase())));
    return accepted.filter((event) => {
      if (registration && Date.parse(event.occurredAt) < registration.at) return false;
      return !covered || covered.has(event.issue.projectKey.toUpperCase());
    }).length;
  }

  /** Keeps renewing this instance's lease on `site` while a search runs, so a long search does not hand the site over. */
  function keepHolding(lease: PollerLease, site: string): { lost(): boolean; stop(): Promise<void> } {
    const abort = new AbortController();
    let lost = false;
    const beating = (async () => {
      for (;;) {
        try {
          await clock.sleep(lease.renewEveryMs, abort.signal);
        } catch {
          return;
        }
        try {
          if (!(await lease.hold(site))) {
            lost = true;
            return;
          }
        } catch (error) {
          // The store did not answer: try again next beat; the lease's expiry decides if it stays out.
          deps.logger.warn({ err: error, site }, 'could not renew the poller lease during a search');
        }
      }
    })();
    return {
      lost: () => lost,
      async stop() {
        abort.abort(new Error('search finished'));
        await beating;
      },
    };
  }

  /**
   * Polls `site` if it needs it: always when `whenDue` is false (pollOnce), else only once its last
   * poll, by any instance, is a cadence old. Resolves whether it polled, and when this instance
   * should look at the site again to poll it (none when it does not hold the site).
   */
  /** A site's subscriptions and webhook health as last read, and whether they call for polling. */
  interface SiteNeed {
    subscriptions: Subscription[];
    wholeSite: boolean;
    health: SiteWebhookHealth | undefined;
    needed: boolean;
    at: number;
  }
  const needs = new Map<string, SiteNeed>();
  /** Reads what the site needs: its active subscriptions (a scan of them all) and its webhook health. */
  async function readNeed(site: string): Promise<SiteNeed> {
    const subscriptions = (await deps.subscriptions.forSite(site)).filter((s) => !s.muted);
    const wholeSite = deps.wholeSite?.(site) ?? false;
    const at = clock.now();
    let need: SiteNeed = { subscriptions, wholeSite, health: undefined, needed: subscriptions.length > 0 || wholeSite, at };
    if (need.needed && deps.health) {
      const health = await deps.health.read(site);
      const wantedFilter = health?.registration ? webhookJqlFilter(subscriptions) : undefined;
      const state = webhookHealthState(health, { now: at, quietMs: WEBHOOK_QUIET_MS, ...(wantedFilter ? { wantedFilter } : {}) });
      need = { ...need, health, needed: state !== WebhookHealthState.Healthy };
    }
    needs.set(site, need);
    return need;
  }

  async function visitSite(site: string, whenDue: boolean): Promise<{ polled: boolean; nextAt?: number }> {
    // Scheduled passes come every renewEveryMs for the lease's sake; what a site needs is read again
    // only once a cadence (as often as passes came before the lease was shortened) and before a poll.
    const known = needs.get(site);
    const fresh = !whenDue || !known || clock.now() - known.at >= cadenceMs;
    let need = fresh ? await readNeed(site) : known;
    if (!need.needed) return NOT_POLLED;
    // Also the holder's renewal: a scheduled pass visits every site each renewEveryMs.
    if (deps.lease && !(await deps.lease.hold(site))) return NOT_POLLED;
    const generation = deps.lease?.generation(site) ?? 0;
    const key = { table: STATE_TABLE, partition: 'sites', row: storeKeyPart(site) };
    const stored = await deps.store.get<PollState>(key);
    // The schedule is the site's, not this instance's: a new holder polls when the last poll, whoever
    // made it, is a cadence old, so a takeover neither skips a window nor polls one early.
    if (whenDue && stored && stored.value.polledAt + cadenceMs > clock.now()) return { polled: false, nextAt: stored.value.polledAt + cadenceMs };
    if ((stored?.value.generation ?? 0) > generation) {
      // A later holder polled it: this instance's hold is stale (cannot happen right after a take, but costs nothing to check).
      deps.logger.warn({ site }, 'another instance took this site over; not polling it');
      return NOT_POLLED;
    }
    // A poll goes with what the site needs now: a subscription added since the last read is in its query.
    if (!fresh) {
      need = await readNeed(site);
      if (!need.needed) return NOT_POLLED;
    }
    const { subscriptions, wholeSite, health } = need;
    const startedAt = clock.now();
    const last = stored?.value.polledAt ?? startedAt - FIRST_LOOK_BACK_MS;
    const since = Math.max(last - LAG_ALLOWANCE_MS, startedAt - MAX_LOOK_BACK_MS);
    const holding = deps.lease ? keepHolding(deps.lease, site) : undefined;
    let issues;
    try {
      issues = await deps.search.search(site, pollJql(subscriptions, since, startedAt, { wholeSite }));
    } finally {
      await holding?.stop();
    }
    const accepted: IssueEvent[] = [];
    for (const issue of issues) {
      for (const event of pollEvents(issue, site, since)) if (await deps.intake.accept(event)) accepted.push(event);
    }
    if (holding?.lost()) {
      // Intake's dedupe drops what the new holder also finds; the window is its to advance.
      deps.logger.warn({ site }, 'lost the poller lease during a search; the new holder polls this window');
      return NOT_POLLED;
    }
    try {
      // The poll's start, not its end: changes made while it ran are in the next window. Conditional on
      // what was read, so of two instances that searched one window only one moves it on (the fence).
      await deps.store.put(key, { polledAt: startedAt, generation }, stored ? { ifMatch: stored.etag } : { ifNoneMatch: '*' });
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      deps.logger.warn({ site }, 'another instance polled this site meanwhile; keeping its window');
      return NOT_POLLED;
    }
    const missed = missedBy(health, accepted, subscriptions);
    if (missed > 0) {
      await deps.health?.changesMissed(site, missed);
      deps.logger.warn({ site, missed, through: health?.registration?.through }, 'the poller found changes no webhook reported; polling the site every interval until one arrives');
    }
    deps.logger.debug({ site, issues: issues.length, accepted: accepted.length }, 'site polled');
    return { polled: true, nextAt: startedAt + cadenceMs };
  }

  /** Visits every site; resolves how long to sleep before the next pass. */
  async function pass(whenDue: boolean): Promise<number> {
    const sites = await deps.sites();
    for (const site of needs.keys()) if (!sites.includes(site)) needs.delete(site);
    // Without a lease to renew, only the sites' due times set the pace.
    let nextAt = clock.now() + (deps.lease?.renewEveryMs ?? cadenceMs);
    let polled = 0;
    for (const site of sites) {
      try {
        const visit = await visitSite(site, whenDue);
        if (visit.polled) polled += 1;
        if (visit.nextAt !== undefined) nextAt = Math.min(nextAt, visit.nextAt);
      } catch (error) {
        // The window is not advanced, so the next poll covers this one too.
        deps.logger.warn({ err: error, site }, 'polling a site failed');
      }
    }
    deps.logger.debug({ sites: sites.length, polled }, 'poller pass finished');
    return Math.max(1, nextAt - clock.now());
  }

  async function pollOnce(): Promise<void> {
    await pass(false);
  }

  const abort = new AbortController();
  let stopped = false;
  /**
   * Passes at the lease's renewal pace (or the earliest due site's time, if sooner). Stops the way
   * startPeriodicLoop's loops do: the sleep is cut short and the pass in flight awaited.
   */
  const loop =
    deps.autoStart === false
      ? undefined
      : (async () => {
          while (!stopped) {
            let waitMs = deps.lease?.renewEveryMs ?? cadenceMs;
            try {
              waitMs = await pass(true);
            } catch (error) {
              if (!stopped) deps.logger.error({ err: error, loop: 'site poller' }, 'periodic run failed; trying again next time');
            }
            if (stopped) break;
            await clock.sleep(waitMs, abort.signal).catch(() => undefined);
          }
        })();

  return {
    pollOnce,
    async stop() {
      stopped = true;
      abort.abort(new Error('site poller stopped'));
      await loop;
      await deps.lease?.releaseAll().catch((error: unknown) => deps.logger.warn({ err: error }, 'could not release the poller leases; they expire'));
    },
  };
}
