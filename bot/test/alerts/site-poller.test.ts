import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src/start-jira-sim';
import { alertIntake, type AlertIntake } from '../../src/alerts/alert-intake';
import { normalizeJiraWebhook } from '../../src/alerts/normalize-jira-webhook';
import { pollCadenceMs, pollJql, startSitePoller, type SiteSearch } from '../../src/alerts/site-poller';
import { systemClock } from '../../src/jira/clock';
import { createLogger } from '../../src/log/create-logger';
import type { Store } from '../../src/store/store';
import { WebhookHealthState, webhookHealthState, type WebhookHealth } from '../../src/alerts/webhook-health';
import { storeWebhookHealth } from '../../src/alerts/webhook-health-store';
import { storeKeyPart } from '../../src/store/store-key-part';
import { openTestStore } from '../connections/open-test-store';
import { ManualClock } from '../support/manual-clock';
import { subscription } from './subscription-builder';

const ALICE = '712020:00000000-0000-4000-8000-000000000001';
const BOB = '712020:00000000-0000-4000-8000-000000000002';

describe('site poller', () => {
  let sim: JiraSim;
  let store: Store;
  let intake: AlertIntake;
  const queries: string[] = [];

  const jira = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: sim.basicAuth('bob@example.com'), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  /** The SiteSearch the lead wires to the Jira client, here straight against the simulator. */
  const search: SiteSearch = {
    async search(_site, jql) {
      queries.push(jql);
      const issues: Array<Record<string, unknown>> = [];
      let nextPageToken: string | undefined;
      do {
        const page = await jira('POST', '/rest/api/3/search/jql', {
          jql,
          expand: 'changelog',
          fields: ['summary', 'status', 'priority', 'issuetype', 'project', 'assignee', 'reporter', 'creator', 'labels', 'created', 'updated', 'comment'],
          maxResults: 50,
          ...(nextPageToken ? { nextPageToken } : {}),
        });
        issues.push(...page.issues);
        nextPageToken = page.nextPageToken;
      } while (nextPageToken);
      return issues;
    },
  };

  const poller = (subs = [subscription({ site: sim.url, projects: ['PHX'] })], extra: { health?: WebhookHealth; clock?: ManualClock } = {}) =>
    startSitePoller({
      sites: async () => [sim.url],
      subscriptions: { forSite: async (site) => subs.filter((s) => s.site === site) },
      search,
      intake,
      store,
      logger: createLogger({ level: 'silent' }),
      autoStart: false,
      ...extra,
    });
  const events = async () => (await intake.received()).map((received) => received.event);

  before(async () => {
    sim = await startJiraSim({ webhookRetry: { attempts: 1, baseDelayMs: 5, timeoutMs: 1000 } });
  });
  after(async () => sim.close());
  beforeEach(() => {
    store = openTestStore();
    intake = alertIntake(store);
    queries.length = 0;
  });
  afterEach(async () => store.close());

  it('builds one query per site covering every subscription', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const subs = [subscription({ projects: ['PHX', 'KAN'] }), subscription({ projects: ['KAN', 'SUP'] })];
    assert.equal(pollJql(subs, now - 150_000, now), 'project in ("KAN", "PHX", "SUP") AND updated >= -3m ORDER BY updated ASC');
    assert.equal(pollJql([...subs, subscription({ projects: [], jql: 'labels = x' })], now - 60_000, now), 'updated >= -1m ORDER BY updated ASC');
    // Open grooming panels may show any project: their sites are polled whole, with or without subscriptions.
    assert.equal(pollJql(subs, now - 60_000, now, { wholeSite: true }), 'updated >= -1m ORDER BY updated ASC');
    assert.equal(pollJql([], now - 60_000, now), 'updated >= -1m ORDER BY updated ASC');
  });

  it('turns changes found by one search into events, and finds each change once across polls and webhooks', async () => {
    const p = poller();

    await jira('PUT', '/rest/api/3/issue/PHX-7', { fields: { summary: 'Polled rename' } });
    await jira('POST', '/rest/api/3/issue/PHX-7/comment', {
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Seen by the poller' }] }] },
    });
    await jira('PUT', '/rest/api/3/issue/KAN-2', { fields: { summary: 'Not subscribed' } });
    await p.pollOnce();

    const found = (await events()).filter((e) => e.issue.key === 'PHX-7');
    assert.ok(found.some((e) => e.kinds.includes('fieldChanged') && e.changes.some((c) => c.to === 'Polled rename')));
    const comment = found.find((e) => e.kinds[0] === 'commented');
    assert.equal(comment?.comment?.excerpt, 'Seen by the poller');
    assert.equal(comment?.actor?.displayName, 'Bob Builder');
    assert.ok(
      (await events()).every((e) => e.issue.projectKey === 'PHX'),
      'only subscribed projects',
    );
    assert.equal(queries.length, 1, 'one search per site per poll');

    const count = (await events()).length;
    await p.pollOnce();
    assert.equal((await events()).length, count, 'a later poll over the overlap adds nothing');
    await p.stop();
  });

  it('looks back at most 12 hours after a long pause, so no change older than the dedupe memory is alerted twice', async () => {
    await store.put({ table: 'alert-poll-state', partition: 'sites', row: storeKeyPart(sim.url) }, { polledAt: Date.now() - 3 * 24 * 3_600_000 });
    await poller().pollOnce();
    assert.match(queries[0], /updated >= -72[01]m /);
  });

  it('polls a little more often than the interval, so each window fits the whole minutes JQL counts in', () => {
    assert.equal(pollCadenceMs(120_000), 110_000);
    assert.equal(pollCadenceMs(300_000), 290_000);
    assert.equal(pollCadenceMs(100_000), 100_000);
    // Where fitting would cost more points than it saves, the interval is kept.
    assert.equal(pollCadenceMs(10_000), 10_000);
    assert.equal(pollCadenceMs(30_000), 30_000);
  });

  describe('with Jira search lagging behind writes (simulator clock)', () => {
    let lagging: JiraSim;
    before(async () => {
      const frozen = Date.now();
      lagging = await startJiraSim({ now: () => frozen });
      lagging.setRealism({ searchLagMs: 4_000 });
    });
    after(async () => lagging.close());

    const lagPoller = () =>
      startSitePoller({
        sites: async () => [lagging.url],
        subscriptions: { forSite: async (site) => [subscription({ site, projects: ['PHX'] })] },
        search: {
          async search(_site, jql) {
            queries.push(jql);
            const response = await fetch(`${lagging.url}/rest/api/3/search/jql`, {
              method: 'POST',
              headers: { authorization: lagging.basicAuth('bob@example.com'), 'content-type': 'application/json' },
              body: JSON.stringify({ jql, expand: 'changelog', fields: ['summary', 'project', 'created', 'updated', 'comment'], maxResults: 100 }),
            });
            assert.ok(response.ok);
            return ((await response.json()) as { issues: Array<Record<string, unknown>> }).issues;
          },
        },
        intake,
        store,
        logger: createLogger({ level: 'silent' }),
        clock: { now: () => lagging.clock.now(), sleep: systemClock.sleep },
        autoStart: false,
      });
    const rename = async (key: string, summary: string) => {
      const response = await fetch(`${lagging.url}/rest/api/3/issue/${key}`, {
        method: 'PUT',
        headers: { authorization: lagging.basicAuth('bob@example.com'), 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { summary } }),
      });
      assert.ok(response.ok);
    };
    const found = async (summary: string) => (await events()).some((e) => e.changes.some((c) => c.to === summary));

    it('finds a change the previous search could not see yet, with polls a whole interval apart', async () => {
      const p = lagPoller();
      await p.pollOnce();
      lagging.clock.advance(2 * 60_000 - 1_000);
      await rename('PHX-3', 'Made just before a poll');
      lagging.clock.advance(1_000);
      await p.pollOnce();
      assert.equal(await found('Made just before a poll'), false, 'Jira search does not show it yet');

      // Exactly two minutes later: a window of two minutes would start at the previous poll and miss it.
      lagging.clock.advance(2 * 60_000);
      await p.pollOnce();
      assert.equal(await found('Made just before a poll'), true);
      assert.match(queries.at(-1)!, /updated >= -3m /);
      await p.stop();
    });

    it('at its own cadence asks for whole-minute windows that overlap only by the lag allowance', async () => {
      const p = lagPoller();
      await p.pollOnce();
      lagging.clock.advance(pollCadenceMs(120_000) - 1_000);
      await rename('PHX-4', 'Made a second before');
      lagging.clock.advance(1_000);
      await p.pollOnce();
      assert.equal(await found('Made a second before'), false, 'Jira search does not show it yet');

      lagging.clock.advance(pollCadenceMs(120_000));
      await p.pollOnce();
      assert.equal(await found('Made a second before'), true);
      assert.deepEqual(
        queries.slice(1).map((q) => /updated >= -(\d+)m/.exec(q)?.[1]),
        ['2', '2'],
        'two minutes each, not three',
      );
      await p.stop();
    });
  });

  it('gives a webhook and a poll of the same change one id', async () => {
    await jira('PUT', '/rest/api/3/issue/PHX-9', { fields: { summary: 'Seen twice' } });
    const { issues } = await jira('POST', '/rest/api/3/search/jql', {
      jql: 'key = PHX-9',
      expand: 'changelog',
      fields: ['summary', 'project', 'created', 'comment', 'updated', 'status'],
    });
    const history = issues[0].changelog.histories.at(-1);
    const webhookEvent = normalizeJiraWebhook(
      { webhookEvent: 'jira:issue_updated', timestamp: Date.now(), issue: issues[0], changelog: { id: history.id, items: history.items } },
      sim.url,
    );
    assert.equal(await intake.accept(webhookEvent!), true);
    await poller().pollOnce();
    assert.equal((await events()).filter((e) => e.id === webhookEvent!.id).length, 1);
    assert.equal((await events()).find((e) => e.id === webhookEvent!.id)?.source, 'webhook', 'the first one seen is kept');
  });

  describe('with webhook health per site', () => {
    const PHX = 'project in ("PHX")';
    let clock: ManualClock;
    let health: WebhookHealth;
    const state = async (wantedFilter?: string) =>
      webhookHealthState(await health.read(sim.url), { now: clock.now(), quietMs: 60 * 60_000, ...(wantedFilter ? { wantedFilter } : {}) });

    beforeEach(() => {
      // The poller's clock starts at the simulator's, so Jira's change times and ours agree.
      clock = new ManualClock(Date.now());
      health = storeWebhookHealth(store, { now: () => clock.now() });
    });

    it('leaves a site with healthy webhooks alone, and polls at once one whose webhook does not cover every subscribed project', async () => {
      await health.registered(sim.url, { webhookIds: [1], jqlFilter: PHX, through: ALICE });
      await health.webhookReceived(sim.url, [1]);
      const phx = [subscription({ site: sim.url, projects: ['PHX'] })];
      await poller(phx, { health, clock }).pollOnce();
      assert.equal(queries.length, 0, 'healthy: no search');

      // A channel subscribes to KAN: the registered filter does not cover it until the registrar replaces it.
      await jira('PUT', '/rest/api/3/issue/KAN-4', { fields: { summary: 'Not in the webhook filter' } });
      await poller([...phx, subscription({ site: sim.url, projects: ['KAN'] })], { health, clock }).pollOnce();
      assert.equal(queries.length, 1);
      assert.ok((await events()).some((e) => e.issue.key === 'KAN-4'));
    });

    it('marks a site silent when a poll finds a change its webhook never reported, polls it every interval, and stops once a webhook arrives', async () => {
      // Registered through Bob, who does not own the private app: Jira accepts it and never calls.
      await health.registered(sim.url, { webhookIds: [2], jqlFilter: PHX, through: BOB });
      const p = poller(undefined, { health, clock });
      await p.pollOnce();
      assert.equal(queries.length, 1, 'unverified: polled from the start');
      assert.equal(await state(PHX), WebhookHealthState.Unverified);

      await clock.advance(2 * 60_000);
      await jira('PUT', '/rest/api/3/issue/PHX-5', { fields: { summary: 'No webhook for this' } });
      await p.pollOnce();
      assert.ok(
        (await events()).some((e) => e.issue.key === 'PHX-5'),
        'the poller delivered it',
      );
      assert.equal(await state(PHX), WebhookHealthState.Silent, 'found by the poll, not by a webhook');
      assert.equal((await health.read(sim.url))?.missed?.changes, 1);

      const searches = queries.length;
      await clock.advance(2 * 60_000);
      await p.pollOnce();
      assert.equal(queries.length, searches + 1, 'silent: searched every interval');
      await health.webhookReceived(sim.url, [2]);
      assert.equal(await state(PHX), WebhookHealthState.Healthy);
      await p.pollOnce();
      assert.equal(queries.length, searches + 1, 'healthy again: no search');
    });
  });
});
