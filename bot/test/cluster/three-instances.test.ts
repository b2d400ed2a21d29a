import assert from 'node:assert/strict';
import { startAzurite, type Azurite } from '../support/azurite';
import { startRedisServer, type RedisServer } from '../support/redis-server';
import { startBotCluster, type BotCluster } from './support/start-bot-cluster';

/**
 * Cluster mode as deployed at scale (issue 13): three bot instances, each its own process, on one
 * Azurite (Azure Tables) and one redis-server, behind a round-robin front.
 */
describe('cluster mode: three instances behind a round-robin front', function () {
  this.timeout(120_000);
  let azurite: Azurite;
  let redis: RedisServer;
  let cluster: BotCluster;

  before(async () => {
    [azurite, redis] = await Promise.all([startAzurite(), startRedisServer()]);
    cluster = await startBotCluster({
      instances: 3,
      env: { STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, REDIS_URL: redis.url, ALERT_POLL_INTERVAL_SECONDS: '0' },
    });
  });
  after(async () => {
    await cluster?.close();
    await redis?.stop();
    await azurite?.stop();
  });

  it('spreads requests over every instance, and skips one killed with SIGKILL', async () => {
    for (let i = 0; i < 6; i++) assert.equal((await fetch(`${cluster.url}/readyz`)).status, 200);
    assert.deepEqual([...cluster.forwarded.values()], [2, 2, 2]);
    const [victim] = cluster.instances;
    await victim.kill();
    assert.equal(victim.alive, false);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${cluster.url}/readyz`)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
    assert.equal(cluster.forwarded.get(victim.name), 2, 'nothing more went to the killed instance');
  });
});
