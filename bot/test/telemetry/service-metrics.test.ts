import assert from 'node:assert/strict';
import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { CHANNEL_ID } from '../../../dev/bot-connector-emu/src';
import type { ApiTokenConnection } from '../../src/connections/connection';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { JiraErrorCode, type JiraError } from '../../src/jira/jira-error';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { BOB_CHAT, startAlertStack, type AlertStack } from '../alerts/start-alert-stack';
import { simUserConnection } from '../support/connect-as';
import { ManualClock, settle } from '../support/manual-clock';

const BOB_ACCOUNT_ID = '712020:00000000-0000-4000-8000-000000000002';

/** A pull reader: the test collects when it wants, in memory, with no export timer. */
class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Resolves once `check` holds; fails after `ms`. */
async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The service's metrics (telemetry/service-metrics.ts and the gauges start-bot.ts registers),
 * read through an OpenTelemetry SDK meter provider registered as the global one, as the Azure
 * Monitor distro registers its own: each is driven by the real code path that records it.
 */
describe('service metrics through OpenTelemetry', function () {
  this.timeout(60_000);
  let provider: MeterProvider;
  let reader: TestReader;
  before(() => {
    reader = new TestReader();
    provider = new MeterProvider({ readers: [reader] });
    assert.ok(metrics.setGlobalMeterProvider(provider), 'no other meter provider is registered in this process');
  });
  after(async () => {
    metrics.disable();
    await provider?.shutdown();
  });

  async function points(name: string): Promise<Array<DataPoint<number | Histogram>>> {
    const { resourceMetrics, errors } = await reader.collect();
    assert.deepEqual(errors, []);
    return resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) => metric.dataPoints as Array<DataPoint<number | Histogram>>);
  }
  /** The value of a counter or gauge for the data point whose attributes include `attributes`; 0 when none. */
  async function value(name: string, attributes: Record<string, string> = {}): Promise<number> {
    const matching = (await points(name)).filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
    return matching.reduce((sum, p) => sum + (p.value as number), 0);
  }

  describe('Jira calls against the simulator', () => {
    let sim: JiraSim;
    let clock: ManualClock;
    let connection: ApiTokenConnection;
    before(async () => {
      clock = new ManualClock(Date.UTC(2026, 11, 7, 12, 0, 0));
      sim = await startJiraSim({ port: 0, now: () => clock.now(), rateLimit: { budget: 1000, windowSeconds: 60, appliesTo: 'all' } });
      connection = simUserConnection(sim);
    });
    after(() => sim?.close());
    const client = () => createJiraClient(connection, { pipeline: new RequestPipeline({ scheduler: new SiteScheduler({ clock }), clock }), apiUrl: sim.url });

    it('counts the points of every answered call, and each 429 by the limit that refused it', async () => {
      const site = { site: sim.url };
      const jira = client();
      for (let i = 0; i < 3; i += 1) await jira.v3.myself.getCurrentUser();
      assert.equal(await value('jira_teams.jira.points', site), 3);
      assert.equal(await value('jira_teams.jira.throttled'), 0);

      // The app's quota is spent: Jira says so (RateLimit-Reason jira-quota-tenant-based) and an unfurl gives up at once.
      sim.rateLimit.exhaust();
      await assert.rejects(jira.v3.myself.getCurrentUser(), (error: JiraError) => error.code === JiraErrorCode.RateLimited);
      assert.equal(await value('jira_teams.jira.throttled', { ...site, cause: 'quota' }), 1);
      sim.rateLimit.configure({ mode: 'off' });

      // A burst refusal of one endpoint: the third call this second waits a second, then goes through.
      sim.setRealism({ burstLimit: { enabled: true, perSecond: 2 } });
      const burst = client();
      await burst.v3.myself.getCurrentUser();
      await burst.v3.myself.getCurrentUser();
      const third = burst.v3.myself.getCurrentUser();
      await until(async () => (await value('jira_teams.jira.throttled', { cause: 'burst' })) === 1);
      await clock.advance(1000);
      await third;

      // A per-issue write refusal.
      sim.setRealism({ burstLimit: { enabled: false, perSecond: 2 }, issueWriteLimit: { enabled: true, writes: 1, windowSeconds: 2 } });
      const writes = client();
      await writes.v3.issues.editIssue({ issueIdOrKey: 'PHX-1', fields: { summary: 'one' } });
      const second = writes.v3.issues.editIssue({ issueIdOrKey: 'PHX-1', fields: { summary: 'two' } });
      await until(async () => (await value('jira_teams.jira.throttled', { cause: 'issue-write' })) === 1);
      await clock.advance(2000);
      await second;
      await settle();

      assert.equal(await value('jira_teams.jira.throttled', { ...site, cause: 'quota' }), 1);
      assert.equal(await value('jira_teams.jira.throttled', { ...site, cause: 'burst' }), 1);
      assert.equal(await value('jira_teams.jira.throttled', { ...site, cause: 'issue-write' }), 1);
      // 3 + 1 refused by the quota + 3 and a refused one on /myself + 2 writes and a refused one: answers each cost their estimate.
      assert.equal(await value('jira_teams.jira.points', site), 3 + 1 + 4 + 3);
    });
  });

  describe('alerts, Teams and panels in the assembled service', () => {
    let stack: AlertStack;
    before(async () => {
      // Started after the provider is registered, as index.ts starts telemetry before the service.
      stack = await startAlertStack({ realism: {}, events: ['jira:issue_created', 'jira:issue_updated'] });
      await stack.subscribe({ projects: 'PHX', events: 'assigned' });
    });
    after(() => stack?.close());

    it('records the lag of each delivered alert, Teams 429s, parked alerts, the outbox gauges and open panels', async () => {
      const outbox = stack.testBot.bot.alerts.alerts.outbox;
      // Three issues not yet assigned to Bob: assigning each to him alerts the channel and notifies him.
      const [first, second, third] = Array.from({ length: 20 }, (_, i) => `PHX-${i + 1}`).filter((key) => {
        const issue = stack.sim.state.issue(key);
        return issue && issue.values.assignee !== BOB_ACCOUNT_ID;
      });
      const escaped = (key: string) => `[${key.replace('-', '\\-')}]`;
      // Assigned to Bob: the channel's alert and Bob's personal notice are both delivered.
      await stack.jira('alice', 'PUT', `/rest/api/3/issue/${first}/assignee`, { accountId: BOB_ACCOUNT_ID });
      await until(async () => stack.channelCards().some((c) => c.includes(escaped(first))) && stack.bobCards().some((c) => c.includes(escaped(first))));
      await until(async () => ((await points('jira_teams.alert.lag'))[0]?.value as Histogram | undefined)?.count === 2);
      const [lag] = await points('jira_teams.alert.lag');
      assert.equal(lag.attributes.mode, 'post');
      const histogram = lag.value as Histogram;
      // From Jira's change time to Teams' answer: never negative, and this change was made a moment ago.
      assert.ok(histogram.min !== undefined && histogram.min >= 0 && histogram.max !== undefined && histogram.max < 60_000, JSON.stringify(histogram));
      assert.equal(await value('jira_teams.outbox.depth'), 0);
      assert.equal(await value('jira_teams.outbox.parked'), 0);
      assert.equal(await value('jira_teams.teams.throttled'), 0);

      // Teams refuses the channel for good (403): the alert is parked with that code.
      stack.connector.failNext(1, 403, { conversationId: CHANNEL_ID });
      await stack.jira('alice', 'PUT', `/rest/api/3/issue/${second}/assignee`, { accountId: BOB_ACCOUNT_ID });
      await until(async () => (await outbox.parked(CHANNEL_ID)).length === 1 && stack.bobCards().some((c) => c.includes(escaped(second))));
      assert.equal(await value('jira_teams.alert.parked', { code: 'TEAMS_403' }), 1);
      assert.equal(await value('jira_teams.outbox.parked'), 1);

      // Teams answers 429 to every send to Bob's chat: the alert waits in the outbox and backs off.
      stack.connector.failNext(1000, 429, { conversationId: BOB_CHAT });
      await stack.jira('alice', 'PUT', `/rest/api/3/issue/${third}/assignee`, { accountId: BOB_ACCOUNT_ID });
      await until(async () => (await value('jira_teams.teams.throttled')) >= 1 && stack.channelCards().some((c) => c.includes(escaped(third))));
      // Waiting (pending, retried with backoff for a minute before it would be parked): Bob's notice only.
      assert.equal(await value('jira_teams.outbox.depth'), 1);
      assert.equal(await value('jira_teams.outbox.conversations'), 1);

      // Open panels on this instance: the hub's live streams.
      assert.equal(await value('jira_teams.panels.open'), 0);
      const close = stack.testBot.bot.meetings.hub.subscribe('backlog-metrics', { send: () => undefined, close: () => undefined });
      assert.equal(await value('jira_teams.panels.open'), 1);
      close();
      assert.equal(await value('jira_teams.panels.open'), 0);
    });
  });
});
