import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import type { ApiTokenConnection } from '../../src/connections/connection';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { JiraErrorCode, type JiraError } from '../../src/jira/jira-error';
import { jiraErrorMessage } from '../../src/jira/jira-error-message';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { simUserConnection } from '../support/connect-as';
import { ManualClock, settle } from '../support/manual-clock';

describe('Jira client against the simulator rate limits', () => {
  let sim: JiraSim;
  let clock: ManualClock;
  let connection: ApiTokenConnection;

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 10, 28, 12, 0, 0));
    sim = await startJiraSim({ port: 0, now: () => clock.now(), rateLimit: { budget: 1000, windowSeconds: 60, appliesTo: 'all' } });
    connection = simUserConnection(sim);
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

  describe('each 429 holds only what its limit covers (issue #17, defect 1)', () => {
    /** Resolves to whether the promise settled without the clock moving. */
    async function settledNow(promise: Promise<unknown>): Promise<boolean> {
      let done = false;
      void promise.then(
        () => (done = true),
        () => (done = true),
      );
      await settle(40);
      return done;
    }

    function client() {
      const pipeline = new RequestPipeline({ scheduler: new SiteScheduler({ clock }), clock });
      return createJiraClient(connection, { pipeline, apiUrl: sim.url });
    }

    it('a burst 429 on one endpoint delays that endpoint only', async () => {
      sim.setRealism({ burstLimit: { enabled: true, perSecond: 2 } });
      sim.rateLimit.configure({ mode: 'off' });
      const jira = client();
      await jira.v3.myself.getCurrentUser();
      await jira.v3.myself.getCurrentUser();
      const third = jira.v3.myself.getCurrentUser();
      assert.equal(await settledNow(third), false, 'the third call this second waits for the burst window');
      const issue = await jira.v3.issues.getIssue({ issueIdOrKey: 'PHX-1', fields: ['summary'] });
      assert.equal(issue.key, 'PHX-1', 'another endpoint is served while /myself is held');
      await clock.advance(1000);
      assert.equal((await third).accountId, connection.accountId);
    });

    it('an issue-write 429 blocks neither reads of that issue nor writes to others', async () => {
      sim.setRealism({ issueWriteLimit: { enabled: true, writes: 2, windowSeconds: 2 } });
      sim.rateLimit.configure({ mode: 'off' });
      const jira = client();
      const edit = (key: string, summary: string) => jira.v3.issues.editIssue({ issueIdOrKey: key, fields: { summary } });
      await edit('PHX-1', 'one');
      await edit('PHX-1', 'two');
      const third = edit('PHX-1', 'three');
      assert.equal(await settledNow(third), false, 'the third write to PHX-1 waits for its window');
      assert.equal((await jira.v3.issues.getIssue({ issueIdOrKey: 'PHX-1', fields: ['summary'] })).fields.summary, 'two');
      await edit('PHX-2', 'other issue');
      assert.equal(sim.state.issue('PHX-2')?.values.summary, 'other issue');
      await clock.advance(2000);
      await third;
      assert.equal(sim.state.issue('PHX-1')?.values.summary, 'three');
    });

    it('a Retry-After of 60 s on search fails that search at once and leaves unfurls alone', async () => {
      sim.rateLimit.configure({ mode: 'off' });
      sim.faults.add({ status: 429, count: 1, pathPrefix: '/rest/api/3/search/jql', retryAfterSeconds: 60 });
      const jira = client();
      await assert.rejects(jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = PHX' }), (error: JiraError) => {
        assert.equal(error.code, JiraErrorCode.RateLimited);
        assert.equal(error.retryAfterSeconds, 60);
        return true;
      });
      const unfurl = jira.v3.issues.getIssue({ issueIdOrKey: 'PHX-1', fields: ['summary'] });
      assert.equal(await settledNow(unfurl), true, 'the issue fetch does not wait for the search hold');
      assert.equal((await unfurl).key, 'PHX-1');
    });

    it('calls Jira again as soon as the quota is back, not when the old Retry-After ends', async () => {
      sim.rateLimit.configure({ windowSeconds: 3600 });
      const jira = client();
      sim.rateLimit.exhaust();
      await assert.rejects(jira.v3.myself.getCurrentUser(), (error: JiraError) => error.code === JiraErrorCode.RateLimited);
      sim.rateLimit.resetWindow();
      const me = jira.v3.myself.getCurrentUser();
      assert.equal(await settledNow(me), true, 'answered without waiting out the hour');
      assert.equal((await me).accountId, connection.accountId);
      const again = await jira.v3.myself.getCurrentUser();
      assert.equal(again.accountId, connection.accountId, 'and the hold is gone for the calls after it');
    });

    it('an exhausted app quota holds OAuth calls only: API-token calls to the same site go on (realistic preset)', async () => {
      await sim.close();
      const client = { clientId: 'app', clientSecret: 'secret', redirectUris: ['https://bot.test/auth/atlassian/callback'] };
      sim = await startJiraSim({ port: 0, now: () => clock.now(), realism: 'realistic', oauthClients: [client], rateLimit: { windowSeconds: 3600 } });
      connection = { ...connection, siteUrl: sim.url };
      const authorize = new URL(`${sim.url}/authorize`);
      const query = {
        audience: 'api.atlassian.com',
        client_id: client.clientId,
        scope: 'read:jira-user',
        redirect_uri: client.redirectUris[0],
        state: 's',
        response_type: 'code',
        account_id: connection.accountId,
      };
      for (const [k, v] of Object.entries(query)) authorize.searchParams.set(k, v);
      const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
      const grant = await fetch(`${sim.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'authorization_code', client_id: client.clientId, client_secret: client.clientSecret, code, redirect_uri: client.redirectUris[0] }),
      });
      const token = ((await grant.json()) as { access_token: string }).access_token;

      // One scheduler and pipeline for both, as in the service.
      const pipeline = new RequestPipeline({ scheduler: new SiteScheduler({ clock }), clock });
      const owner = { tenantId: 't', userId: 'u' };
      const oauth = createJiraClient({ kind: 'oauth', siteUrl: sim.url, cloudId: sim.cloudId, owner }, { pipeline, apiUrl: sim.url, tokens: { accessToken: async () => token } });
      const apiToken = createJiraClient(connection, { pipeline, apiUrl: sim.url });
      sim.rateLimit.exhaust();
      await assert.rejects(oauth.v3.myself.getCurrentUser(), (error: JiraError) => error.code === JiraErrorCode.RateLimited);
      assert.equal((await apiToken.v3.myself.getCurrentUser()).accountId, connection.accountId);
    });
  });
});
