import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { alertIntake, INBOX_TABLE } from '../../bot/src/alerts/alert-intake';
import { ALL_EVENT_KINDS } from '../../bot/src/alerts/issue-event';
import { pollCadenceMs, startSitePoller, type SiteSearch } from '../../bot/src/alerts/site-poller';
import type { Subscription } from '../../bot/src/alerts/subscription';
import { subscriptionRepository } from '../../bot/src/alerts/subscription-repository';
import { systemClock, type Clock } from '../../bot/src/jira/clock';
import { createLogger } from '../../bot/src/log/create-logger';
import { openSqliteStore } from '../../bot/src/store/sqlite-store';
import type { MeasureScenario } from '../measure';

const SUBSCRIPTIONS = Number(process.env.BENCH_POLL_SUBSCRIPTIONS ?? 500);
/**
 * Simulated poll intervals measured; the hourly figures scale their mean. Jira compares dates to
 * the minute, so what a window costs depends on where in its minute it starts; at the 110 s cadence
 * six polls take every start 10 s apart, a whole cycle.
 */
const INTERVALS = Number(process.env.BENCH_POLL_INTERVALS ?? 6);
/** How often the poller searches at its default interval (2 minutes, less the lag allowance it fits into whole minutes). */
const INTERVAL_MS = pollCadenceMs(2 * 60_000);
/** Issues changed per 2 minutes: 15 a minute, a busy site. */
const CHANGES_PER_TWO_MINUTES = Number(process.env.BENCH_POLL_CHANGES ?? 30);
const CHANGES_PER_INTERVAL = Math.round((CHANGES_PER_TWO_MINUTES * INTERVAL_MS) / (2 * 60_000));
/** Jira Cloud's default points budget per site and hour. */
const HOURLY_QUOTA = 65_000;
const POLLS_PER_HOUR = 3_600_000 / INTERVAL_MS;
/** DESIGN's Jira points targets: under this share of the hourly quota, and this many times cheaper than a search per subscription. */
const QUOTA_SHARE = 0.02;
const CHEAPER_BY = 100;
const FIELDS = 'summary,status,priority,issuetype,project,assignee,reporter,creator,labels,created,updated,comment';

/**
 * The search the poller is wired to, paging with nextPageToken, with the changelog. It is sent
 * as GET because the simulator charges reads a point per issue returned but bills a POST as a
 * write (base cost only, however many issues it returns); Jira meters a search by what it reads.
 */
function simSearch(sim: JiraSim): SiteSearch {
  return {
    async search(_site, jql) {
      const issues: Array<Record<string, unknown>> = [];
      let nextPageToken: string | undefined;
      do {
        const query = new URLSearchParams({ jql, fields: FIELDS, expand: 'changelog', maxResults: '100', ...(nextPageToken ? { nextPageToken } : {}) });
        const response = await fetch(`${sim.url}/rest/api/3/search/jql?${query}`, { headers: { authorization: sim.basicAuth('alice@example.com') } });
        if (!response.ok) throw new Error(`search answered ${response.status}: ${await response.text()}`);
        const page = (await response.json()) as { issues: Array<Record<string, unknown>>; nextPageToken?: string };
        issues.push(...page.issues);
        nextPageToken = page.nextPageToken;
      } while (nextPageToken);
      return issues;
    },
  };
}

/** A spread of channel subscriptions: mostly one project, some with a JQL filter, a few JQL-only. */
function subscriptions(site: string): Subscription[] {
  const filters = [undefined, undefined, 'priority in (High, Highest)', 'issuetype = Bug', undefined];
  const projectSets = [['PHX'], ['KAN'], ['SUP'], ['PHX', 'KAN']];
  return Array.from({ length: SUBSCRIPTIONS }, (_, i) => {
    const jqlOnly = i % 20 === 19;
    return {
      id: `bench-sub-${i}`,
      target: { tenantId: 'bench-tenant', conversationId: `19:bench-channel-${i}@thread.tacv2` },
      site,
      projects: jqlOnly ? [] : projectSets[i % projectSets.length],
      ...(jqlOnly ? { jql: 'project = SUP AND priority = Highest' } : filters[i % filters.length] ? { jql: filters[i % filters.length] } : {}),
      eventKinds: [...ALL_EVENT_KINDS],
      statuses: [],
      fields: [],
      muted: false,
      twoWayThreads: false,
      changedBy: 'bench-owner',
      createdAt: '2026-11-28T10:00:00.000Z',
      updatedAt: '2026-11-28T10:00:00.000Z',
    };
  });
}

/**
 * What polling would cost without the shared search: one search per subscription per poll,
 * each over the same window the poller uses, restricted by the subscription's own projects and
 * JQL (so it returns only what that subscription could alert on).
 */
function perSubscriptionJql(subscription: Subscription, minutes: number): string {
  const parts = [
    ...(subscription.projects.length > 0 ? [`project in (${subscription.projects.map((p) => `"${p}"`).join(', ')})`] : []),
    ...(subscription.jql ? [`(${subscription.jql})`] : []),
    `updated >= -${minutes}m`,
  ];
  return `${parts.join(' AND ')} ORDER BY updated ASC`;
}

/**
 * (c) Jira points for alerts from the poller: SUBSCRIPTIONS channel subscriptions on one
 * simulated site, INTERVALS polls as far apart as the poller's default cadence (the simulator's
 * clock and the poller's are the same), CHANGES_PER_INTERVAL edits between polls. Each poll runs the real
 * site poller (one search covering every subscription) and then, at the same simulated
 * instant, one search per subscription; the simulator's points meter is read around each. Edits
 * are made outside both readings. Only the poller's share of DESIGN's fixed workload is measured
 * here, not unfurls or grooming panels.
 */
export const pollerPoints: MeasureScenario = {
  name: 'poller Jira points',
  async run() {
    // Real Jira's behaviour on (issue #17): search lag, the per-route burst limit, v2 webhook
    // shapes. The points quota is 'beta' (reports and charges without refusing) with a large
    // budget, so the meter never floors at zero, and meters API tokens too, standing in for the
    // OAuth connection a poller on a real site is metered through; shares below are of Jira's real
    // hourly budget. Time stands still but for the advances below, so every run sends the same searches.
    // Five seconds into a minute: over the six polls the windows then start at 5, 15, ... 55 s into
    // theirs, the middle of the range, and every run is the same.
    const frozen = Math.floor(Date.now() / 60_000) * 60_000 + 5_000;
    const sim = await startJiraSim({ port: 0, now: () => frozen, realism: 'realistic', rateLimit: { mode: 'beta', budget: 1e12, appliesTo: 'all' } });
    const burstLimit = sim.realism().burstLimit;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-bench-'));
    const store = openSqliteStore(path.join(dataDir, 'store.db'));
    const repository = subscriptionRepository(store);
    for (const subscription of subscriptions(sim.url)) await repository.save(subscription);
    const spent = async (work: () => Promise<unknown>) => {
      const before = sim.rateLimit.current().remaining;
      await work();
      return before - sim.rateLimit.current().remaining;
    };

    // The seed's changes are hours old once the clock moves; an hour boundary resets the meter,
    // so each reading is taken without moving the clock.
    sim.clock.advance(3 * 3_600_000);
    const clock: Clock = { now: () => sim.clock.now(), sleep: systemClock.sleep };
    const search = simSearch(sim);
    let pollerJql = '';
    const intake = alertIntake(store);
    const poller = startSitePoller({
      sites: async () => [sim.url],
      subscriptions: repository,
      search: {
        search(site, jql) {
          pollerJql = jql;
          return search.search(site, jql);
        },
      },
      intake,
      store,
      logger: createLogger({ level: 'warn' }),
      clock,
      autoStart: false,
    });
    await poller.pollOnce(); // sets the poller's window; not counted
    const acceptedBefore = (await store.list(INBOX_TABLE)).length;

    const keys = sim.state.site.issues.map((issue) => issue.key);
    const edit = async (key: string, n: number) => {
      const response = await fetch(`${sim.url}/rest/api/3/issue/${key}`, {
        method: 'PUT',
        headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { summary: `Bench edit ${n}` } }),
      });
      if (!response.ok) throw new Error(`edit ${key} answered ${response.status}`);
    };
    const active = (await repository.forSite(sim.url)).filter((s) => !s.muted);
    let pollerPoints = 0;
    let naivePoints = 0;
    let naiveSearches = 0;
    let edits = 0;
    for (let interval = 0; interval < INTERVALS; interval += 1) {
      for (let i = 0; i < CHANGES_PER_INTERVAL; i += 1) {
        // Spread over the interval so `updated` times differ, as real edits would.
        sim.clock.advance(INTERVAL_MS / CHANGES_PER_INTERVAL);
        edits += 1;
        await edit(keys[(edits * 37) % keys.length], edits);
      }
      pollerPoints += await spent(() => poller.pollOnce());
      // The same window the poller searched.
      const minutes = Number(/updated >= -(\d+)m/.exec(pollerJql)?.[1]);
      if (!Number.isInteger(minutes)) throw new Error(`Unexpected poller JQL: ${pollerJql}`);
      // The what-if costing sends 500 searches in one simulated instant, which the burst limit
      // would refuse (the reason not to poll that way); it is priced with the limit off.
      sim.setRealism({ burstLimit: { enabled: false } });
      // Subscriptions that ask the same JQL cost the same points at one frozen instant (the
      // simulator charges a read by the issues it returns), so each distinct search is sent once
      // and charged as often as subscriptions send it: the same sum as 500 searches, for a
      // fraction of the time.
      const asked = new Map<string, number>();
      for (const subscription of active) {
        const jql = perSubscriptionJql(subscription, minutes);
        asked.set(jql, (asked.get(jql) ?? 0) + 1);
      }
      for (const [jql, times] of asked) {
        naiveSearches += times;
        naivePoints += times * (await spent(() => search.search(sim.url, jql)));
      }
      sim.setRealism({ burstLimit });
    }
    // Search lags behind edits (searchLagMs): what the last poll could not see yet, the next one
    // finds. One more poll past the lag, not counted in the points, shows nothing is lost to it.
    sim.clock.advance(sim.realism().searchLagMs + 1_000);
    await poller.pollOnce();
    await poller.stop();
    // Shows the poller's searches found the edits: one event each (the summary change).
    const polledEvents = (await store.list(INBOX_TABLE)).length - acceptedBefore;
    await sim.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });

    const pollerHourly = (pollerPoints / INTERVALS) * POLLS_PER_HOUR;
    const naiveHourly = (naivePoints / INTERVALS) * POLLS_PER_HOUR;
    const share = pollerHourly / HOURLY_QUOTA;
    const cheaper = naiveHourly / Math.max(pollerHourly, 1);
    const workload = `${active.length} subscriptions, ${INTERVALS} polls ${INTERVAL_MS / 1000} s apart, ${CHANGES_PER_INTERVAL} edits between polls`;
    return [
      {
        name: `poller, one search per site per poll (${workload})`,
        value: pollerHourly,
        unit: 'points/h',
        target: `< ${QUOTA_SHARE * 100}% of ${HOURLY_QUOTA} points/h`,
        ratio: { value: share, of: 'hourly quota' },
        pass: share < QUOTA_SHARE,
      },
      {
        name: `one search per subscription per poll (${naiveSearches} searches priced)`,
        value: naiveHourly,
        unit: 'points/h',
        target: 'context',
        ratio: { value: naiveHourly / HOURLY_QUOTA, of: 'hourly quota' },
      },
      { name: 'poller cheaper than per-subscription search', value: cheaper, unit: 'x', target: `>= ${CHEAPER_BY}x`, pass: cheaper >= CHEAPER_BY },
      { name: 'events the poller found', value: polledEvents, unit: 'events', target: `context: ${edits} edits made`, pass: polledEvents === edits },
    ];
  },
};
