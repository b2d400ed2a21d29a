import assert from 'node:assert/strict';
import { exceedsJsonDepth } from '../../src/http/exceeds-json-depth';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (levels: number) => `${'{"a":['.repeat(levels)}1${']}'.repeat(levels)}`;

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, up to the limit and one past it', () => {
    // nested(n) holds n objects and n arrays: 2n levels.
    assert.equal(exceedsJsonDepth(bytes(nested(64)), 128), false);
    assert.equal(exceedsJsonDepth(bytes(`[${nested(64)}]`), 128), true);
    assert.equal(exceedsJsonDepth(bytes(nested(4_000)), 128), true);
  });

  it('ignores brackets inside strings, escaped quotes included, and in non-ASCII text', () => {
    const text = JSON.stringify({ comment: `${'{['.repeat(500)} "quoted \\" [[[" ✓ ${'['.repeat(500)}`, body: [[1]] });
    assert.equal(exceedsJsonDepth(bytes(text), 3), false);
    assert.equal(exceedsJsonDepth(bytes(text), 2), true, 'the real nesting still counts');
    // A run of backslashes before a quote: an even run leaves the quote closing the string.
    assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ a: 'x\\', b: [[1]] })), 2), true);
    assert.equal(exceedsJsonDepth(bytes(JSON.stringify({ a: 'x\\"[[[', b: [1] })), 2), false);
    assert.equal(exceedsJsonDepth(bytes('{"a": "unterminated [[[['), 2), false);
    assert.equal(exceedsJsonDepth(new Uint8Array(bytes(nested(70))), 128), true, 'a plain Uint8Array too');
  });
});
