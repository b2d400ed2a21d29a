import assert from 'node:assert/strict';
import { sendRate } from '../../../dev/bot-connector-emu/src';
import { sendLimits } from '../../src/alerts/send-limits';
import { TEAMS_CONVERSATION_LIMITS } from '../../src/alerts/send-window-limiter';
import { redisSendLimits } from '../../src/cluster/redis-send-limits';
import { systemClock } from '../../src/jira/clock';
import { createLogger } from '../../src/log/create-logger';
import { useRedisServer } from '../support/redis-server';

const logger = createLogger({ level: 'silent' });

describe("Teams' send limits shared by instances through Redis", function () {
  this.timeout(30_000);
  const redis = useRedisServer();

  it("keeps three instances' sends to one tenant within the app window together, each conversation on its own instance", async () => {
    // A long second window, exact (100 sends at most), keeps every send in Redis for the check below.
    const appLimits = [
      { windowMs: 200, max: 4 },
      { windowMs: 60_000, max: 100 },
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

  it('keeps two instances taking turns on one conversation within its four windows together, as the delivery worker asks them', async () => {
    // Teams' per-conversation windows on a 20x faster clock: 7 per 50 ms, 8 per 100 ms, 60 per 1.5 s, 1,800 per 3 min.
    const conversationLimits = TEAMS_CONVERSATION_LIMITS.map((l) => ({ windowMs: l.windowMs / 20, max: l.max }));
    const instances = await Promise.all(
      [1, 2].map(async () => {
        const client = await redis.client();
        return redisSendLimits({ redis: client, local: sendLimits({ clock: systemClock, conversationLimits }), clock: systemClock, logger, conversationLimits });
      }),
    );
    const target = { tenantId: 'tenant-3', conversationId: '19:shared@thread.tacv2' };
    const abort = new AbortController();
    /** When each send was on the wire: after its slot was taken, before Teams' answer (where Teams counts it). */
    const sent: number[] = [];
    const total = 70;
    // Each instance drains the conversation as the worker does (ask, wait out the window or send),
    // both at once: what two owners in turn, the old one still sending, look like to the windows.
    await Promise.all(
      instances.map(async (limits) => {
        while (sent.length < total) {
          const wait = await limits.conversationDelay(target.conversationId);
          if (wait > 0) {
            await new Promise((resolve) => setTimeout(resolve, wait));
            continue;
          }
          await limits.waitForApp(target.tenantId, abort.signal);
          const answered = limits.begin(target);
          sent.push(Date.now());
          await new Promise((resolve) => setImmediate(resolve));
          answered();
        }
      }),
    );
    // The emulated Bot Connector's own check of Teams' windows, over the sends' times.
    const worst = sendRate(sent, conversationLimits).windows.map((w) => w.peak);
    conversationLimits.forEach((limit, i) => assert.ok(worst[i] <= limit.max, `${worst[i]} sends within ${limit.windowMs} ms, more than ${limit.max}: ${worst.join(', ')}`));
    // They pressed on the limits: the 60-send window filled, so two instances each on its own windows would have gone past it.
    assert.equal(worst[2], 60, `the 60-send window filled; worst windows ${worst.join(', ')}`);
  });

  it('reads no sent records from the store while Redis answers, and keeps delivering under the instance’s own window when Redis is gone', async () => {
    const client = await redis.client();
    // Teams' windows of one send per minute, so the store's record of one recent send would hold the conversation.
    const conversationLimits = [{ windowMs: 60_000, max: 1 }];
    const limits = redisSendLimits({ redis: client, local: sendLimits({ clock: systemClock, conversationLimits }), clock: systemClock, logger, conversationLimits });
    let reads = 0;
    /** The store's record of sends: one to each conversation just now. */
    const recorded = {
      recentSends() {
        reads += 1;
        return Promise.resolve([]);
      },
      recentSendsTo() {
        reads += 1;
        return Promise.resolve([Date.now()]);
      },
    };
    await limits.seed(recorded);
    await limits.adopt('19:c', recorded);
    assert.equal(reads, 0, 'Redis holds the windows: starting and taking a conversation over cost the store nothing');

    client.disconnect();
    const abort = new AbortController();
    await limits.waitForApp('tenant-2', abort.signal);
    assert.equal(await limits.conversationDelay('19:c'), 0, "the conversation's own window in this instance answers");
    limits.begin({ tenantId: 'tenant-2', conversationId: '19:c' })();
    // Redis is failing now: a conversation taken over is read from the store, for this instance's own window.
    await limits.adopt('19:d', recorded);
    assert.equal(reads, 1);
    assert.ok((await limits.conversationDelay('19:d')) > 50_000, "the previous owner's send recorded in the store holds the window");
  });
});
