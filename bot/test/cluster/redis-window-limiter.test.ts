import assert from 'node:assert/strict';
import { TEAMS_CONVERSATION_LIMITS } from '../../src/alerts/send-window-limiter';
import { redisWindowLimiter, type WindowLimit } from '../../src/cluster/redis-window-limiter';
import { useRedisServer } from '../support/redis-server';

/** Whether any `windowMs` (half-open, as the limiter counts) holds more than `max` of these times. */
function worstWindow(times: readonly number[], limit: WindowLimit): number {
  const sorted = [...times].sort((a, b) => a - b);
  let worst = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start] <= sorted[end] - limit.windowMs) start += 1;
    worst = Math.max(worst, end - start + 1);
  }
  return worst;
}

describe('shared send windows in Redis', function () {
  this.timeout(30_000);
  const redis = useRedisServer();
  const client = () => redis.client();

  it('keeps four instances together within every window, each taking slots as fast as it can', async () => {
    // Teams' shape (a short burst window inside a longer one), shrunk so the test takes a second or two.
    const limits: WindowLimit[] = [
      { windowMs: 100, max: 3 },
      { windowMs: 300, max: 5 },
    ];
    const instances = await Promise.all([1, 2, 3, 4].map(async () => redisWindowLimiter(await client(), { prefix: 'test-send', limits })));
    const acquired: number[] = [];
    let refused = 0;
    const target = 25;
    // Each instance runs three concurrent senders, like the delivery worker's parallel drains.
    await Promise.all(
      instances.flatMap((limiter) =>
        [1, 2, 3].map(async () => {
          while (acquired.length < target) {
            const slot = await limiter.acquire('19:conversation');
            if (!slot.ok) {
              refused += 1;
              assert.ok(slot.waitMs > 0 && slot.waitMs <= 300, `a wait within the longest window, got ${slot.waitMs}`);
              await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
              continue;
            }
            await limiter.finish('19:conversation', slot.id);
            acquired.push(slot.at);
          }
        }),
      ),
    );
    assert.ok(refused > 0, 'the instances competed for slots');
    // Times are Redis' own clock at each counted send; no window of either limit holds more than its max.
    const counted = await (await client()).zrange('test-send:{19:conversation}', 0, -1, 'WITHSCORES');
    const times = counted.filter((_, i) => i % 2 === 1).map(Number);
    assert.ok(times.length >= 5, `the longest window still holds the last sends, got ${times.length}`);
    for (const limit of limits) assert.ok(worstWindow(acquired, limit) <= limit.max, `at most ${limit.max} per ${limit.windowMs} ms at acquisition`);
    for (const limit of limits) assert.ok(worstWindow(times, limit) <= limit.max, `at most ${limit.max} per ${limit.windowMs} ms at completion`);
  });

  it("keeps two instances hammering one conversation within Teams' four windows, at Teams' ratios on a 20x faster clock", async () => {
    // 7 per 50 ms, 8 per 100 ms, 60 per 1.5 s, 1,800 per 3 minutes: Teams' per-conversation limits with
    // every window divided by 20, so the 60-send window binds within two seconds of Redis' own time.
    // The three short windows are exact; the long one is counted in 60 sub-windows of 3 s.
    const limits: WindowLimit[] = TEAMS_CONVERSATION_LIMITS.map((l) => ({ windowMs: l.windowMs / 20, max: l.max }));
    const [a, b] = await Promise.all([1, 2].map(async () => redisWindowLimiter(await client(), { prefix: 'test-teams', limits, recheckMs: 2 })));
    const target = 75;
    let taken = 0;
    /** Every send at Redis' clock when it finished (what Teams would have counted by then). */
    const times: number[] = [];
    // Four drains on each instance, each sending as soon as a slot is free; a send is answered a turn later.
    await Promise.all(
      [a, a, a, a, b, b, b, b].map(async (limiter) => {
        while (taken < target) {
          const slot = await limiter.acquire('19:hammered');
          if (!slot.ok) {
            await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
            continue;
          }
          taken += 1;
          await new Promise((resolve) => setImmediate(resolve));
          times.push(await limiter.finish('19:hammered', slot.id));
        }
      }),
    );
    assert.equal(times.length, taken);
    const worst = limits.map((limit) => worstWindow(times, limit));
    limits.forEach((limit, i) => assert.ok(worst[i] <= limit.max, `${worst[i]} sends within ${limit.windowMs} ms, more than ${limit.max}`));
    // The two instances pressed on the limits, not just trickled: the 60-send window filled (the burst
    // windows fill too on a quiet machine, but a loaded one may answer too slowly to fill 7 in 50 ms).
    assert.equal(worst[2], 60, `the 60-send window filled; worst windows ${worst.join(', ')}`);
    // Small records: the sorted set holds the last 1.5 s of sends, the long window one count per sub-window.
    const redisClient = await client();
    const members = await redisClient.zcard('test-teams:{19:hammered}');
    assert.ok(members <= 60, `the sorted set keeps only the exact windows' sends, got ${members}`);
    const counts = await redisClient.hgetall('test-teams:{19:hammered}:180000');
    const subWindows = new Set(times.map((t) => t - (t % 3_000)));
    assert.deepEqual(Object.keys(counts).map(Number).sort(), [...subWindows].sort(), 'one count per 3-second sub-window the sends finished in');
    assert.equal(
      Object.values(counts).reduce((sum, n) => sum + Number(n), 0),
      taken,
      'every send is counted in the long window, at its completion',
    );
    // Both expire once nothing in them can count any more (the longest window, a sub-window and the in-flight allowance of 60 s).
    const setTtl = await redisClient.pttl('test-teams:{19:hammered}');
    assert.ok(setTtl > 0 && setTtl <= 1_500 + 60_000, `the sorted set expires after its longest window, got ${setTtl} ms`);
    const hashTtl = await redisClient.pttl('test-teams:{19:hammered}:180000');
    assert.ok(hashTtl > 0 && hashTtl <= 180_000 + 3_000 + 60_000, `the sub-window counts expire after their window, got ${hashTtl} ms`);
  });

  it('never lets two instances past a window counted in sub-windows, and keeps its record to about one field per sub-window', async () => {
    // A long window allowing 20 sends, counted in 8 sub-windows of 100 ms; a short exact one paces the sends.
    const limits: WindowLimit[] = [
      { windowMs: 50, max: 4 },
      { windowMs: 800, max: 20, subWindows: 8 },
    ];
    const [a, b] = await Promise.all([1, 2].map(async () => redisWindowLimiter(await client(), { prefix: 'test-coarse', limits, recheckMs: 2 })));
    const times: number[] = [];
    let refusedLong = 0;
    const target = 50;
    let taken = 0;
    await Promise.all(
      [a, a, b, b].map(async (limiter) => {
        while (taken < target) {
          const slot = await limiter.acquire('19:coarse');
          if (!slot.ok) {
            // Only the long window makes anyone wait longer than the short one's 50 ms.
            if (slot.waitMs > 50) refusedLong += 1;
            await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
            continue;
          }
          taken += 1;
          await new Promise((resolve) => setImmediate(resolve));
          times.push(await limiter.finish('19:coarse', slot.id));
        }
      }),
    );
    assert.ok(refusedLong > 0, 'the long window held the instances back');
    assert.ok(worstWindow(times, limits[1]) <= 20, `${worstWindow(times, limits[1])} sends within 800 ms, more than 20`);
    assert.ok(worstWindow(times, limits[0]) <= 4, `${worstWindow(times, limits[0])} sends within 50 ms, more than 4`);
    // Over about three windows of sends, the hash keeps only the sub-windows that still touch the window.
    const fields = await (await client()).hlen('test-coarse:{19:coarse}:800');
    assert.ok(fields <= 10, `at most the window's 8 sub-windows and the current ones, got ${fields}`);
  });

  it('counts a send in flight in every window until it finishes, then from its completion, each key apart', async () => {
    const short = redisWindowLimiter(await client(), { prefix: 'test-flight', limits: [{ windowMs: 50, max: 1 }], recheckMs: 7 });
    const first = await short.acquire('a');
    assert.equal(first.ok, true);
    // Past the 50 ms window, the unfinished send still holds the slot: Teams has not counted it yet.
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual(await short.acquire('a'), { ok: false, waitMs: 7 });
    assert.equal((await short.acquire('b')).ok, true, 'another conversation has its own window');

    // In sub-windows: in flight it counts in a sub-window ahead of now, so the next send rechecks
    // shortly; finished, it moves to its completion's sub-window and holds the window from there.
    const coarse = redisWindowLimiter(await client(), { prefix: 'test-moved', limits: [{ windowMs: 60_000, max: 1, subWindows: 60 }], recheckMs: 7, inFlightMs: 5_000 });
    const flying = await coarse.acquire('a');
    assert.ok(flying.ok);
    assert.deepEqual(await coarse.acquire('a'), { ok: false, waitMs: 7 });
    const finishedAt = await coarse.finish('a', flying.id);
    const held = await coarse.acquire('a');
    // The sub-window of 1 s holding the send counts until its end is a minute old.
    const subWindowEnd = finishedAt - (finishedAt % 1_000) + 1_000;
    assert.ok(!held.ok && held.waitMs > 50_000 && held.waitMs <= 60_000 + subWindowEnd - finishedAt, `held from the finished send, got ${JSON.stringify(held)}`);
    assert.deepEqual(await (await client()).hgetall('test-moved:{a}:60000'), { [String(subWindowEnd - 1_000)]: '1' });

    const hourly = redisWindowLimiter(await client(), { prefix: 'test-finished', limits: [{ windowMs: 3_600_000, max: 1 }], recheckMs: 7 });
    const sent = await hourly.acquire('a');
    assert.ok(sent.ok);
    await hourly.finish('a', sent.id);
    const next = await hourly.acquire('a');
    assert.ok(!next.ok && next.waitMs > 3_500_000, `the hour runs from the finished send, got ${JSON.stringify(next)}`);
  });
});
