import assert from 'node:assert/strict';
import { initialRank, rankBetween } from '../../src/site/lexo-rank';

describe('lexo ranks', () => {
  it('orders seeded ranks by index', () => {
    const ranks = Array.from({ length: 300 }, (_, i) => initialRank(i));
    assert.deepEqual([...ranks].sort(), ranks);
  });

  it('always finds a rank strictly between two neighbours, however often they are split', () => {
    let low = initialRank(0);
    const high = initialRank(1);
    for (let i = 0; i < 500; i++) {
      const mid = rankBetween(low, high);
      assert.ok(low < mid && mid < high, `${low} < ${mid} < ${high}`);
      low = mid;
    }
  });

  it('ranks before the first and after the last', () => {
    let first = initialRank(0);
    for (let i = 0; i < 200; i++) {
      const before = rankBetween(null, first);
      assert.ok(before < first, `${before} < ${first}`);
      first = before;
    }
    const last = initialRank(219);
    assert.ok(rankBetween(last, null) > last);
  });
});
