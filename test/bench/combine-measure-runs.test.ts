import assert from 'node:assert/strict';
import { combineMeasureRuns } from '../../bench/combine-measure-runs';
import type { MeasureRow } from '../../bench/measure';
import { summarizeRuns } from '../../bench/summarize-runs';

const delivery = (ratio: number): MeasureRow => ({
  name: 'delivered per channel',
  value: ratio * 4,
  unit: 'msg/s',
  target: '>= 95% of the ceiling',
  ratio: { value: ratio, of: 'ceiling' },
  pass: ratio >= 0.95,
  decide: { atLeast: 0.95 },
});
const lost = (count: number): MeasureRow => ({ name: 'lost', value: count, unit: 'events', target: '0', pass: count === 0 });

describe('bench: combining repeated runs', () => {
  it('takes a measured value of the runs as the median, with min and max', () => {
    assert.deepEqual(summarizeRuns([3, 1, 2]), { median: 2, min: 1, max: 3 });
    assert.deepEqual(summarizeRuns([4, 1, 3, 2]), { median: 2, min: 1, max: 4 }, 'the lower middle: a value that was measured');
    assert.throws(() => summarizeRuns([]));
  });

  it('decides a ratio target on the median run, so one slow run neither passes nor fails it alone', () => {
    const [row] = combineMeasureRuns([[delivery(0.97)], [delivery(0.91)], [delivery(0.96)]]);
    assert.equal(row.pass, true);
    assert.equal(row.ratio?.value, 0.96);
    assert.deepEqual(row.ratio?.spread, { min: 0.91, max: 0.97 });
    assert.equal(combineMeasureRuns([[delivery(0.97)], [delivery(0.91)], [delivery(0.93)]])[0].pass, false);
  });

  it('fails a count that must be exact if any run missed it', () => {
    const rows = combineMeasureRuns([
      [delivery(0.97), lost(0)],
      [delivery(0.97), lost(2)],
      [delivery(0.97), lost(0)],
    ]);
    assert.equal(rows.find((r) => r.name === 'lost')?.pass, false);
  });
});
