import assert from 'node:assert/strict';
import { summaryFromMessage, truncateOnWord } from '../../../src/jira/adf/summary-from-message';

describe('summaryFromMessage', () => {
  it('takes the first line of an HTML message, with mentions as names and entities decoded', () => {
    assert.equal(summaryFromMessage('<p><at id="0">Ann</at>: login &amp; signup fail<br>since Monday</p><p>more</p>'), 'Ann: login & signup fail');
  });

  it('skips empty spacer paragraphs before the text', () => {
    assert.equal(summaryFromMessage('<p>&nbsp;</p><div> <b>Crash</b>   on   start </div>'), 'Crash on start');
  });

  it('uses the first line of a code block when the message starts with one', () => {
    assert.equal(summaryFromMessage('<pre><code>TypeError: x is undefined<br>  at y</code></pre>'), 'TypeError: x is undefined');
  });

  it('takes the first non-blank line of a plain-text message, markup and all', () => {
    assert.equal(summaryFromMessage('\n  \n<b>literal</b> text\nsecond', 'text'), '<b>literal</b> text');
  });

  it('trims to 255 characters on a word boundary with an ellipsis', () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`).join(' ');
    const summary = summaryFromMessage(`<p>${words}</p>`);
    assert.ok(summary.length <= 255, `${summary.length}`);
    assert.ok(summary.endsWith('…'));
    const kept = summary.slice(0, -1);
    assert.ok(words.startsWith(kept) && words[kept.length] === ' ', 'cut falls between words');
  });

  it('is empty for a message without text', () => {
    assert.equal(summaryFromMessage('<p>&nbsp;</p><img src="data:image/png;base64,AA">'), '');
  });
});

describe('truncateOnWord', () => {
  it('leaves short text alone', () => {
    assert.equal(truncateOnWord('short text', 255), 'short text');
  });

  it('cuts one enormous word hard rather than returning nothing', () => {
    const cut = truncateOnWord(`https://example.com/${'a'.repeat(400)}`, 255);
    assert.equal(cut.length, 255);
  });

  it('never splits an emoji in half', () => {
    const cut = truncateOnWord(`${'a'.repeat(253)}😀😀😀`, 255);
    assert.ok(cut.length <= 255);
    assert.doesNotMatch(cut.slice(0, -1), /[\uD800-\uDBFF]$/);
  });
});
