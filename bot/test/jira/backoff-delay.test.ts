import assert from 'node:assert/strict';
import { backoffDelay } from '../../src/jira/backoff-delay';

describe('backoffDelay', () => {
  const options = { baseMs: 500, capMs: 20_000 };

  it('draws uniformly below a ceiling that doubles per attempt', () => {
    assert.equal(
      backoffDelay(0, options, () => 0.999999),
      499,
    );
    assert.equal(
      backoffDelay(3, options, () => 0.5),
      2000,
    );
    assert.equal(
      backoffDelay(3, options, () => 0),
      0,
    );
  });

  it('never exceeds the cap', () => {
    assert.equal(
      backoffDelay(30, options, () => 0.999999),
      19_999,
    );
  });
});
