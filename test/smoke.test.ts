import assert from 'node:assert/strict';

describe('toolchain', () => {
  it('runs TypeScript tests through tsx', () => {
    const sum = (a: number, b: number): number => a + b;
    assert.equal(sum(2, 2), 4);
  });
});
