import assert from 'node:assert/strict';
import { subscriptionRepository } from '../../../src/alerts/subscription-repository';
import { storeWebhookHealth } from '../../../src/alerts/webhook-health-store';
import { healthCard } from '../../../src/cards/health-card';
import { openRedis, type Redis } from '../../../src/cluster/open-redis';
import { redisJiraBudget } from '../../../src/cluster/redis-jira-budget';
import { SiteScheduler } from '../../../src/jira/site-scheduler';
import { createLogger } from '../../../src/log/create-logger';
import { openSqliteStore } from '../../../src/store/sqlite-store';
import type { Store } from '../../../src/store/store';
import { readSiteHealth } from '../../../src/teams/health/read-site-health';
import { startRedisServer, type RedisServer } from '../../support/redis-server';
import { cardText } from '../../support/validate-card';

const logger = createLogger({ level: 'silent' });
const SITE = 'https://acme.atlassian.net';
const CLOUD_ID = '11111111-2222-4333-8444-555555555555';

/**
 * In cluster mode the `health` card's budget is the cluster's: what every instance spent on the
 * site and the lowest budget any of them was told, read from Redis, not one instance's own view.
 */
describe('health: Jira budget use per site from the shared budget (cluster mode)', function () {
  this.timeout(20_000);
  let redis: RedisServer;
  let store: Store;
  const clients: Redis[] = [];
  before(async () => {
    redis = await startRedisServer();
    store = openSqliteStore(':memory:');
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.quit()));
    await store?.close();
    await redis?.stop();
  });
  const instance = async (name: string) => {
    const client = await openRedis(redis.url, name, logger);
    clients.push(client);
    return new SiteScheduler({ sharedBudget: redisJiraBudget(client, logger) });
  };

  it('shows on instance A the points instance B spent through OAuth (its cloud id) and the budget Jira told B', async () => {
    const [a, b] = await Promise.all([instance('a'), instance('b')]);
    // B made the calls: OAuth calls are scheduled under the site's cloud id; API-token calls under its URL.
    b.observe(CLOUD_ID, { quota: 65_000, remaining: 64_000, resetMs: 1_800_000 });
    for (let i = 0; i < 7; i += 1) await b.run(CLOUD_ID, 'background', () => Promise.resolve(i), { cost: 2 });
    await b.run(SITE, 'interactive', () => Promise.resolve('card'), { cost: 1 });

    const [view] = await readSiteHealth(
      {
        store,
        health: storeWebhookHealth(store, { now: Date.now }),
        subscriptions: subscriptionRepository(store),
        scheduler: a,
        cloudIds: () => Promise.resolve([CLOUD_ID]),
        pollIntervalMs: 0,
        now: Date.now,
      },
      [SITE],
    );
    assert.equal(view.budget.shared, true);
    assert.equal(view.budget.spentThisHour, 15, '7 calls of 2 points through OAuth and one of 1 by API token');
    assert.equal(view.budget.remaining, 64_000 - 14);
    assert.equal(view.budget.quota, 65_000);
    assert.ok(view.budget.resetAt !== undefined && view.budget.resetAt > Date.now());

    const text = cardText(healthCard({ audience: { kind: 'site-admin', site: SITE }, sites: [view], now: Date.now() }));
    assert.match(text, /Jira points spent\n15 this hour, estimated \(all instances together\)/);
    assert.match(text, /Jira points left\n63986 of 65000 \(Jira's last answers to all instances, less what they sent since\), until \d{4}/);
  });
});
