import assert from 'node:assert/strict';
import { TEAMS_SEND_LIMITS, sendRate } from '../src';
import { wouldExceed } from '../src/send-rate';

describe('sendRate', () => {
  it('finds the busiest sliding window, not the busiest calendar second', () => {
    // 4 sends late in one second and 4 early in the next: 8 within 200 ms.
    const times = [900, 950, 980, 990, 1_010, 1_020, 1_050, 1_100];
    const rate = sendRate(times);
    assert.equal(rate.windows.find((w) => w.windowMs === 1_000)!.peak, 8);
    assert.equal(rate.withinLimits, false, '8 in a second breaks the 7 per second ceiling');
  });

  it('accepts a sender that paces itself at Teams limits', () => {
    // One send every 510 ms stays under every ceiling.
    const paced = Array.from({ length: 60 }, (_, i) => i * 510);
    const rate = sendRate(paced);
    assert.deepEqual(
      rate.windows.map((w) => [w.windowMs, w.peak]),
      [
        [1_000, 2],
        [2_000, 4],
        [30_000, 59],
        [3_600_000, 60],
      ],
    );
    assert.equal(rate.withinLimits, true);
  });

  it('counts the 60 per 30 s ceiling', () => {
    const burst = Array.from({ length: 61 }, (_, i) => i * 400);
    const rate = sendRate(burst);
    assert.equal(rate.windows.find((w) => w.windowMs === 30_000)!.peak, 61);
    assert.equal(rate.withinLimits, false);
  });

  it('sorts what it is given and reports the count', () => {
    const rate = sendRate([3, 1, 2]);
    assert.deepEqual(rate.timestamps, [1, 2, 3]);
    assert.equal(rate.count, 3);
    assert.equal(sendRate([]).withinLimits, true);
  });

  it('says when one more send would break a ceiling', () => {
    const seven = Array.from({ length: 7 }, (_, i) => 1_000 + i * 10);
    assert.equal(wouldExceed(seven, 1_100, TEAMS_SEND_LIMITS), true);
    assert.equal(wouldExceed(seven, 2_001, TEAMS_SEND_LIMITS), false, 'the 1 s window has passed and 7 < 8 per 2 s');
  });
});
