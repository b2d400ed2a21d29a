import assert from 'node:assert/strict';
import { sendRate } from '../../../dev/bot-connector-emu/src';
import { SendWindowLimiter, TEAMS_CONVERSATION_LIMITS } from '../../src/alerts/send-window-limiter';

describe('SendWindowLimiter', () => {
  /** Sends as fast as the limiter allows for `durationMs`, each taking `latencyMs`. */
  const simulate = (durationMs: number, latencyMs: number) => {
    const limiter = new SendWindowLimiter(TEAMS_CONVERSATION_LIMITS);
    const arrivals: number[] = [];
    let now = 0;
    while (now < durationMs) {
      const wait = limiter.delay('c', now);
      if (wait > 0) {
        now += wait;
        continue;
      }
      limiter.begin('c');
      arrivals.push(now + latencyMs / 2);
      now += latencyMs;
      limiter.finish('c', now);
    }
    return arrivals;
  };

  it('keeps a flat-out sender within every Teams window', () => {
    const arrivals = simulate(120_000, 10);
    const rate = sendRate(arrivals);
    assert.ok(rate.withinLimits, JSON.stringify(rate.windows));
    // 60 per 30 s is the binding ceiling over two minutes: use nearly all of it.
    assert.ok(arrivals.length >= 0.95 * 240, `sent ${arrivals.length} of a possible 240`);
  });

  it('allows the first send at once and then waits out the 2-second window', () => {
    const limiter = new SendWindowLimiter(TEAMS_CONVERSATION_LIMITS);
    assert.equal(limiter.delay('c', 0), 0);
    for (let i = 0; i < 8; i += 1) {
      limiter.begin('c');
      limiter.finish('c', i * 10);
    }
    assert.equal(limiter.delay('c', 100), 2_000 - 100);
    assert.equal(limiter.delay('other', 100), 0, 'keys are independent');
  });

  it('counts a send in flight as happening now', () => {
    const limiter = new SendWindowLimiter([{ windowMs: 1_000, max: 1 }]);
    limiter.begin('c');
    assert.ok(limiter.delay('c', 0) > 0);
    limiter.finish('c', 50);
    assert.equal(limiter.delay('c', 500), 550);
  });
});
