import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import type { ApiTokenConnection } from '../../src/connections/connection';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { JiraErrorCode, type JiraError } from '../../src/jira/jira-error';
import { jiraErrorMessage } from '../../src/jira/jira-error-message';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { ManualClock, settle } from '../support/manual-clock';

describe('Jira client against the simulator rate limits', () => {
  let sim: JiraSim;
  let clock: ManualClock;
  let connection: ApiTokenConnection;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 28, 12, 0, 0));
    sim = await startJiraSim({ port: 0, now: () => clock.now(), rateLimit: { budget: 1000, windowSeconds: 60, appliesTo: 'all' } });
    const user = sim.state.site.users[0];
    connection = {
      kind: 'apiToken',
      owner: { tenantId: 't', userId: 'u' },
      siteUrl: sim.url,
      email: user.email,
      apiToken: user.apiToken,
      accountId: user.accountId,
      displayName: user.displayName,
      status: 'active',
      createdAt: 0,
      updatedAt: 0,
    };
  });

  afterEach(() => sim.close());

  it('waits as long as the 429 says, then succeeds', async () => {
    const pipeline = new RequestPipeline({ scheduler: new SiteScheduler({ clock }), clock, deadlineMs: { interactive: 120_000, background: 600_000 } });
    const jira = createJiraClient(connection, { pipeline, apiUrl: sim.url });
    sim.rateLimit.exhaust();
    const me = jira.v3.myself.getCurrentUser();
    await settle(20);
    // The window resets at the next minute: Retry-After is 60 s from the top of the hour.
    await clock.advance(59_000);
    await settle(20);
    let done = false;
    void me.then(() => (done = true));
    await settle(20);
    assert.equal(done, false, 'still waiting before Retry-After has passed');
    await clock.advance(1000);
    assert.equal((await me).accountId, connection.accountId);
  });

  it('serves an interactive call ahead of background calls queued before it', async () => {
    const scheduler = new SiteScheduler({ clock, maxConcurrent: 1 });
    const pipeline = new RequestPipeline({ scheduler, clock, deadlineMs: { interactive: 120_000, background: 600_000 } });
    const background = createJiraClient(connection, { pipeline, apiUrl: sim.url, priority: 'background' });
    const interactive = createJiraClient(connection, { pipeline, apiUrl: sim.url, priority: 'interactive' });
    sim.rateLimit.exhaust();

    const order: string[] = [];
    const first = background.v3.myself.getCurrentUser().then(() => order.push('poll-1'));
    await settle(20); // the first poll meets the 429 and the site is held until the window resets
    const polls = [2, 3].map((n) => background.v3.myself.getCurrentUser().then(() => order.push(`poll-${n}`)));
    const unfurl = interactive.v3.myself.getCurrentUser().then(() => order.push('unfurl'));
    await settle(20);
    assert.equal(scheduler.snapshot(sim.url).background, 3);
    assert.equal(scheduler.snapshot(sim.url).interactive, 1);

    await clock.advance(60_000);
    await Promise.all([first, unfurl, ...polls]);
    assert.deepEqual(order, ['unfurl', 'poll-1', 'poll-2', 'poll-3']);
  });

  it('tells an interactive caller when to come back rather than waiting past its deadline', async () => {
    const pipeline = new RequestPipeline({ scheduler: new SiteScheduler({ clock }), clock });
    const jira = createJiraClient(connection, { pipeline, apiUrl: sim.url });
    sim.rateLimit.exhaust();
    await assert.rejects(jira.v3.myself.getCurrentUser(), (error: JiraError) => {
      assert.equal(error.code, JiraErrorCode.RateLimited);
      assert.equal(jiraErrorMessage(error), 'Jira is busy, try again in 60 s.');
      return true;
    });
  });
});
