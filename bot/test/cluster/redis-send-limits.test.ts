import assert from 'node:assert/strict';
import { sendLimits } from '../../src/alerts/send-limits';
import { redisSendLimits } from '../../src/cluster/redis-send-limits';
import { systemClock } from '../../src/jira/clock';
import { createLogger } from '../../src/log/create-logger';
import { useRedisServer } from '../support/redis-server';

const logger = createLogger({ level: 'silent' });

describe("Teams' per-app send limit shared by instances through Redis", function () {
  this.timeout(30_000);
  const redis = useRedisServer();

  it("keeps three instances' sends to one tenant within the app window together, each conversation on its own instance", async () => {
    // A long second window keeps every send in Redis for the check below (nothing is pruned within a minute).
    const appLimits = [
      { windowMs: 200, max: 4 },
      { windowMs: 60_000, max: 1_000 },
    ];
    const instances = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = await redis.client();
        return redisSendLimits({ redis: client, local: sendLimits({ clock: systemClock, appLimits }), clock: systemClock, logger, appLimits });
      }),
    );
    let sent = 0;
    const abort = new AbortController();
    // Each instance drains its own conversations of one tenant, as many at once as it can.
    await Promise.all(
      instances.flatMap((limits, i) =>
        [1, 2].map(async (n) => {
          const target = { tenantId: 'tenant-1', conversationId: `19:conv-${i}-${n}` };
          for (let k = 0; k < 4; k++) {
            await limits.waitForApp(target.tenantId, abort.signal);
            const answered = limits.begin(target);
            sent += 1;
            await new Promise((resolve) => setImmediate(resolve));
            answered();
          }
        }),
      ),
    );
    assert.equal(sent, 24);
    // What Redis counted: every send, at its completion on Redis' clock, never more than 4 per 200 ms.
    const scores = (await (await redis.client()).zrange('jira-teams:teams-app:{tenant-1}', 0, -1, 'WITHSCORES')).filter((_, i) => i % 2 === 1).map(Number);
    assert.equal(scores.length, 24);
    scores.sort((a, b) => a - b);
    for (let i = 0; i + 4 < scores.length; i++) assert.ok(scores[i + 4] - scores[i] >= 200, `five sends within 200 ms at ${scores.slice(i, i + 5).join(', ')}`);
  });

  it('keeps delivering under the instance’s own window when Redis is gone', async () => {
    const client = await redis.client();
    const limits = redisSendLimits({ redis: client, local: sendLimits({ clock: systemClock }), clock: systemClock, logger });
    client.disconnect();
    const abort = new AbortController();
    await limits.waitForApp('tenant-2', abort.signal);
    limits.begin({ tenantId: 'tenant-2', conversationId: '19:c' })();
  });
});
