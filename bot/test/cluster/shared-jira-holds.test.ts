import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { sharedHoldScheduler } from '../../src/cluster/shared-hold-scheduler';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import type { SiteScheduler } from '../../src/jira/site-scheduler';
import { createLogger } from '../../src/log/create-logger';
import { simUserConnection } from '../support/connect-as';
import { ManualClock, settle } from '../support/manual-clock';
import { useRedisServer } from '../support/redis-server';

const logger = createLogger({ level: 'silent' });
const SITE = 'https://acme.atlassian.net';

async function heldOn(scheduler: SiteScheduler, scope: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!scheduler.snapshot(SITE).held.includes(scope)) {
    if (Date.now() > deadline) assert.fail(`${scope} never held`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("Jira's Retry-After holds shared by instances through Redis", function () {
  this.timeout(30_000);
  const closers: Array<() => Promise<void>> = [];
  // Registered before useRedisServer's (mocha runs after-hooks in the order given): unsubscribe, then the clients quit.
  after(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const redis = useRedisServer();
  const instance = async (options: { clock?: ManualClock } = {}) => {
    const publisher = await redis.client();
    const subscriber = await redis.client('test-sub');
    const shared = await sharedHoldScheduler({ publisher, subscriber, logger, options: { probeIntervalMs: 3_600_000, ...options } });
    closers.push(shared.close);
    return shared.scheduler;
  };

  it('holds the refused scope on every instance, so a call past its deadline fails there without asking Jira', async () => {
    const [a, b, c] = await Promise.all([instance(), instance(), instance()]);
    // Instance A got 429 for the site's quota with Retry-After 60 s (what the request pipeline does).
    a.hold(SITE, 'quota', 60_000);
    await heldOn(b, 'quota');
    await heldOn(c, 'quota');
    assert.deepEqual(b.snapshot(SITE).held, ['quota'], 'only the refused limit is held');

    // B's first call under that limit probes (one per hold); the next fails at once with Jira's wait.
    let called = 0;
    const call = () =>
      b.run(
        SITE,
        'interactive',
        async () => {
          called += 1;
          return 'answered';
        },
        { holds: ['quota', 'burst GET /rest/api/3/search/jql'], deadlineAt: Date.now() + 1_000 },
      );
    assert.equal(await call(), 'answered');
    await assert.rejects(call(), (error: unknown) => error instanceof JiraError && error.code === JiraErrorCode.RateLimited);
    assert.equal(called, 1);
    // Other limits are untouched: a write to one issue is not held.
    assert.equal(await b.run(SITE, 'interactive', () => Promise.resolve('ok'), { holds: ['issue-write PHX-1'] }), 'ok');
  });

  it('loads the holds it missed while Redis had cut its subscription, once it is subscribed again', async () => {
    const a = await instance();
    const subscriber = await redis.client('test-sub');
    // Asked before it subscribes: a subscribed connection answers nothing but pub/sub commands.
    const id = await subscriber.client('ID');
    const shared = await sharedHoldScheduler({ publisher: await redis.client(), subscriber, logger, options: { probeIntervalMs: 3_600_000 } });
    closers.push(shared.close);
    const b = shared.scheduler;
    const cut = new Promise((resolve) => subscriber.once('close', resolve));
    // Redis drops B's pub/sub connection (a failover, a blip); ioredis reconnects after its retry delay.
    const admin = await redis.client();
    assert.equal(await admin.client('KILL', 'ID', String(id)), 1);
    await cut;
    // Published while B cannot hear it: B learns of it only from what Redis stored.
    a.hold(SITE, 'issue-write PHX-9', 30_000);
    await heldOn(b, 'issue-write PHX-9');
  });

  describe('an instance that starts during a hold', () => {
    let sim: JiraSim;
    let clock: ManualClock;
    let searches = 0;
    before(async () => {
      clock = new ManualClock(Date.UTC(2026, 10, 28, 12, 0, 0));
      sim = await startJiraSim({ port: 0, now: () => clock.now() });
      sim.rateLimit.configure({ mode: 'off' });
      // Every search that reaches Jira, refused or answered.
      const take = sim.faults.take.bind(sim.faults);
      sim.faults.take = (method, path) => {
        if (path === '/rest/api/3/search/jql') searches += 1;
        return take(method, path);
      };
    });
    after(() => sim?.close());

    /** One instance's Jira client as the service builds it: the jira.js client over the request pipeline and its scheduler. */
    const jiraOf = (scheduler: SiteScheduler, priority: 'interactive' | 'background') =>
      createJiraClient(simUserConnection(sim), {
        pipeline: new RequestPipeline({ scheduler, clock, deadlineMs: { interactive: 10_000, background: 600_000 } }),
        apiUrl: sim.url,
        priority,
      });
    const search = (jira: ReturnType<typeof jiraOf>) => jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'project = PHX' });

    it('loads the hold from Redis and waits it out instead of asking Jira, then searches once it ends', async () => {
      const a = await instance({ clock });
      // Jira refuses instance A's search with Retry-After 60 s: A's caller cannot wait that long and is told so.
      sim.faults.add({ status: 429, count: 1, pathPrefix: '/rest/api/3/search/jql', retryAfterSeconds: 60 });
      await assert.rejects(search(jiraOf(a, 'interactive')), (error: JiraError) => error.code === JiraErrorCode.RateLimited && error.retryAfterSeconds === 60);
      assert.equal(searches, 1);
      const stored = await (await redis.client()).pttl('jira-teams:jira-holds:running');
      assert.ok(stored > 50_000 && stored <= 60_000, `the stored hold ends with Jira's Retry-After, ${stored} ms left`);

      // Instance B starts after the answer (it heard no message) and knows the hold at once.
      const b = await instance({ clock });
      const held = b.snapshot(sim.url).held;
      assert.equal(held.length, 1, `one limit held on B: ${held.join(', ')}`);
      const found = search(jiraOf(b, 'background'));
      let answered = false;
      void found.then(() => (answered = true));
      await settle(20);
      assert.deepEqual(b.snapshot(sim.url).held, held, 'still held a moment before it ends');
      assert.equal(b.snapshot(sim.url).background, 1, "B's search waits in its queue");

      await clock.advance(60_000);
      await found;
      assert.ok(answered);
      assert.equal(searches, 2, 'B asked Jira once, after the hold');
    });
  });
});
