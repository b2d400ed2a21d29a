import assert from 'node:assert/strict';
import { openRedis, type Redis } from '../../src/cluster/open-redis';
import { sharedHoldScheduler } from '../../src/cluster/shared-hold-scheduler';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import type { SiteScheduler } from '../../src/jira/site-scheduler';
import { createLogger } from '../../src/log/create-logger';
import { startRedisServer, type RedisServer } from '../support/redis-server';

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
  let redis: RedisServer;
  const clients: Redis[] = [];
  const closers: Array<() => Promise<void>> = [];
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    for (const close of closers) await close();
    await Promise.allSettled(clients.map((c) => c.quit()));
    await redis?.stop();
  });
  const instance = async () => {
    const publisher = await openRedis(redis.url, 'test', logger);
    const subscriber = await openRedis(redis.url, 'test-sub', logger);
    clients.push(publisher, subscriber);
    const shared = await sharedHoldScheduler({ publisher, subscriber, logger, options: { probeIntervalMs: 3_600_000 } });
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
});
