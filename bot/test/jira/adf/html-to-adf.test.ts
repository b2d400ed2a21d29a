import assert from 'node:assert/strict';
import { htmlToAdf, TRUNCATION_NOTE } from '../../../src/jira/adf/html-to-adf';
import { adfNodes, adfText, assertValidAdf } from './assert-valid-adf';

describe('htmlToAdf', () => {
  it('cuts a huge message short with a note, and the result is still valid ADF', () => {
    const html = Array.from({ length: 5000 }, (_, i) => `<p>Paragraph ${i} with <b>some</b> words in it.</p>`).join('');
    const doc = htmlToAdf(html, { maxChars: 10_000 });
    assertValidAdf(doc);
    const text = adfText(doc);
    assert.ok(text.length < 10_500, `kept ${text.length} characters`);
    assert.ok(text.endsWith(TRUNCATION_NOTE));
    assert.match(text, /^Paragraph 0 with some words/);
  });

  it('reads a message nested thousands of elements deep as text instead of overflowing the stack', () => {
    const depth = 20_000;
    const html = `${'<div><b>'.repeat(depth)}deep text${'</b></div>'.repeat(depth)}<ul>${'<li><ul>'.repeat(500)}<li>leaf</li>${'</ul></li>'.repeat(500)}</ul>`;
    const doc = htmlToAdf(html);
    assertValidAdf(doc);
    assert.match(adfText(doc), /deep text/);
    assert.match(adfText(doc), /leaf/);
  });

  it('keeps a code block verbatim: no whitespace collapsing, no marks, language from the class', () => {
    const doc = htmlToAdf('<pre class="language-typescript skipProofing"><code>if (a) {<br>    <b>return</b>  1;<br>}</code></pre>');
    assertValidAdf(doc);
    assert.deepEqual(doc.content, [
      { type: 'codeBlock', attrs: { language: 'typescript' }, content: [{ type: 'text', text: 'if (a) {\n    return  1;\n}' }] },
    ]);
  });

  it('never combines the code mark with other formatting, which the schema forbids', () => {
    const doc = htmlToAdf('<b><i>x <code>y</code></i></b>');
    assertValidAdf(doc);
    const code = adfNodes(doc).find((n) => n.type === 'text' && n.text === 'y');
    assert.deepEqual(code?.marks, [{ type: 'code' }]);
  });

  it('turns a mention into an ADF mention only when the account is known', () => {
    const html = '<p><at id="0">Ann</at> and <at id="1">Bob</at></p>';
    const doc = htmlToAdf(html, { mentions: { '0': 'acc-1' } });
    assertValidAdf(doc);
    assert.deepEqual(doc.content[0], {
      type: 'paragraph',
      content: [
        { type: 'mention', attrs: { id: 'acc-1', text: '@Ann' } },
        { type: 'text', text: ' and Bob' },
      ],
    });
  });

  it('keeps two different people apart even when written back to back', () => {
    const doc = htmlToAdf('<at id="0">Ann</at> <at id="1">Bob</at>', { mentions: { '0': 'a', '1': 'b' } });
    assert.deepEqual(
      adfNodes(doc).filter((n) => n.type === 'mention').map((n) => n.attrs),
      [{ id: 'a', text: '@Ann' }, { id: 'b', text: '@Bob' }],
    );
  });

  it('keeps line breaks inside a paragraph but not at its edges', () => {
    const doc = htmlToAdf('<p><br>one<br> two <br><br></p>');
    assert.deepEqual(doc.content[0], {
      type: 'paragraph',
      content: [{ type: 'text', text: 'one' }, { type: 'hardBreak' }, { type: 'text', text: 'two' }],
    });
  });

  it('gives a list item that starts with a sub-list the paragraph ADF requires first', () => {
    const doc = htmlToAdf('<ul><li><ol><li>x</li></ol></li></ul>');
    assertValidAdf(doc);
    const item = adfNodes(doc).find((n) => n.type === 'listItem');
    assert.equal(item?.content[0].type, 'paragraph');
    assert.equal(item?.content[1].type, 'orderedList');
  });

  it('never emits an empty text node', () => {
    const doc = htmlToAdf('<b></b><i> </i><a href="https://e.com"> </a><span>&nbsp;</span><code></code>x');
    assertValidAdf(doc);
    assert.ok(adfNodes(doc).filter((n) => n.type === 'text').every((n) => n.text.length > 0));
  });
});
