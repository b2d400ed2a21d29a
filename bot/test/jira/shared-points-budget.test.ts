import assert from 'node:assert/strict';
import { openCluster } from '../../src/cluster/open-cluster';
import { openRedis, type Redis } from '../../src/cluster/open-redis';
import { redisJiraBudget } from '../../src/cluster/redis-jira-budget';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { createLogger } from '../../src/log/create-logger';
import { captureLogs } from '../support/capture-logs';
import { startRedisServer, type RedisServer } from '../support/redis-server';

const logger = createLogger({ level: 'silent' });
const HOUR_MS = 3_600_000;

/**
 * Jira's points budget in cluster mode: each instance's scheduler takes points from one Redis
 * hash per site (atomic Lua), so the instances together keep background work out of the reserve
 * left for interactive work, as one instance does alone.
 */
describe('Jira points budget shared by instances through Redis', function () {
  this.timeout(20_000);
  let redis: RedisServer;
  const clients: Redis[] = [];
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.quit()));
    await redis?.stop();
  });
  const instance = async (name: string) => {
    const client = await openRedis(redis.url, name, logger);
    clients.push(client);
    return new SiteScheduler({ sharedBudget: redisJiraBudget(client, logger), backgroundReserve: 0.2, maxConcurrent: 200, probeIntervalMs: HOUR_MS });
  };

  it('lets two instances together spend background points only down to the reserve, and interactive work past it', async () => {
    const site = 'cloud-id-1';
    const [a, b] = await Promise.all([instance('a'), instance('b')]);
    // One answer to instance A carried the headers: 100 points per hour, all left.
    a.observe(site, { quota: 100, remaining: 100, resetMs: HOUR_MS });
    // Same connection, so this read runs after the headers were recorded.
    assert.deepEqual(await a.budget(site), { remaining: 100, quota: 100, resetAt: (await a.budget(site)).resetAt, spentThisHour: 0, shared: true });

    let sent = 0;
    const poll = (scheduler: SiteScheduler) =>
      scheduler.run(site, 'background', () => Promise.resolve((sent += 1)), { cost: 1, deadlineAt: Date.now() + 60_000, holds: ['quota'] });
    // 60 background calls on each instance, interleaved: 120 wanted, 100 - 20 reserve = 80 allowed.
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => [poll(a), poll(b)]).flat());
    assert.equal(sent, 80, 'background calls sent by both instances together');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 40);
    for (const r of refused) {
      const error = r.reason as unknown;
      assert.ok(error instanceof JiraError && error.code === JiraErrorCode.RateLimited, String(error));
      // Jira's window resets in an hour: the caller is told so, instead of waiting past its deadline.
      assert.ok(error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 3_000, `retry after ${error.retryAfterSeconds}`);
    }
    for (const view of [await a.budget(site), await b.budget(site)]) {
      assert.equal(view.remaining, 20);
      assert.equal(view.spentThisHour, 80);
      assert.equal(view.shared, true);
    }

    // A person waiting is served from the reserve, and that spending counts for the cluster too.
    const unfurls = await Promise.all(Array.from({ length: 5 }, () => b.run(site, 'interactive', () => Promise.resolve('card'))));
    assert.deepEqual(unfurls, Array(5).fill('card'));
    assert.equal((await a.budget(site)).remaining, 15);
    assert.equal((await a.budget(site)).spentThisHour, 85);
    await assert.rejects(poll(a), (error: unknown) => error instanceof JiraError && error.code === JiraErrorCode.RateLimited);
    assert.equal(sent, 80);
  });

  it('keeps the lowest budget Jira reported in a window, and gives back the points of a call never sent', async () => {
    const site = 'https://acme.atlassian.net';
    const [a, b] = await Promise.all([instance('c'), instance('d')]);
    a.observe(site, { quota: 1000, remaining: 400, resetMs: HOUR_MS });
    await a.budget(site);
    // An answer that left Jira before A's (it knows of fewer calls) does not raise the budget back.
    b.observe(site, { quota: 1000, remaining: 900, resetMs: HOUR_MS });
    assert.equal((await b.budget(site)).remaining, 400);
    b.observe(site, { remaining: 300, resetMs: HOUR_MS });
    assert.equal((await b.budget(site)).remaining, 300);

    // Jira refused A with Retry-After for the quota: A's first call probes, the next fails unsent.
    a.hold(site, 'quota', 60_000);
    const call = () => a.run(site, 'interactive', () => Promise.resolve('answered'), { holds: ['quota'], deadlineAt: Date.now() + 1_000 });
    assert.equal(await call(), 'answered');
    await assert.rejects(call(), (error: unknown) => error instanceof JiraError && error.code === JiraErrorCode.RateLimited);
    // Read through A's connection: after the refund A sent.
    const view = await a.budget(site);
    assert.equal(view.remaining, 299, 'only the probe was spent');
    assert.equal(view.spentThisHour, 1);
  });

  it("is the budget cluster mode gives each instance's Jira scheduler (openCluster)", async () => {
    const site = 'cloud-id-wired';
    const [a, b] = await Promise.all([openCluster({ redisUrl: redis.url }, logger), openCluster({ redisUrl: redis.url }, logger)]);
    try {
      a.jiraScheduler.observe(site, { quota: 10, remaining: 10, resetMs: HOUR_MS });
      await a.jiraScheduler.budget(site);
      let sent = 0;
      const poll = (scheduler: SiteScheduler) => scheduler.run(site, 'background', () => Promise.resolve((sent += 1)), { deadlineAt: Date.now() + 60_000 });
      const results = await Promise.allSettled([a, b, a, b, a, b, a, b, a, b].map((cluster) => poll(cluster.jiraScheduler)));
      // 10 points, 2 kept for interactive work: 8 background calls between the two instances.
      assert.equal(sent, 8);
      assert.equal(results.filter((r) => r.status === 'rejected').length, 2);
      assert.deepEqual(await b.jiraScheduler.budget(site), { remaining: 2, quota: 10, resetAt: (await b.jiraScheduler.budget(site)).resetAt, spentThisHour: 8, shared: true });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("lets calls go on under the instance's own view while Redis is out of reach, warning once", async () => {
    const own = await startRedisServer();
    const logs = captureLogs();
    const client = await openRedis(own.url, 'budget', createLogger({ level: 'silent' }));
    clients.push(client);
    const scheduler = new SiteScheduler({ sharedBudget: redisJiraBudget(client, createLogger({ level: 'info', destination: logs.stream })) });
    await own.stop();
    const calls = await Promise.all([1, 2, 3].map((n) => scheduler.run('s', 'background', () => Promise.resolve(n))));
    assert.deepEqual(calls, [1, 2, 3]);
    const warnings = logs.lines().filter((line) => /shared Jira budget/.test(String(line.msg)));
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.doesNotMatch(logs.raw(), /redis:\/\//, 'the URL (it carries the access key in Azure) is not logged');
    client.disconnect();
  });

  it('tells apart a single instance: its own view of the headers and of what it sent', async () => {
    const local = new SiteScheduler({ backgroundReserve: 0.2 });
    local.observe('s', { quota: 100, remaining: 50, resetMs: HOUR_MS });
    await local.run('s', 'background', () => Promise.resolve(1), { cost: 3 });
    const view = await local.budget('s');
    assert.equal(view.remaining, 47);
    assert.equal(view.quota, 100);
    assert.equal(view.spentThisHour, 3);
    assert.equal(view.shared, false);
  });
});
