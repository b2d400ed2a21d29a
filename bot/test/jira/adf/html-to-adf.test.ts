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
    assert.deepEqual(doc.content, [{ type: 'codeBlock', attrs: { language: 'typescript' }, content: [{ type: 'text', text: 'if (a) {\n    return  1;\n}' }] }]);
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
      adfNodes(doc)
        .filter((n) => n.type === 'mention')
        .map((n) => n.attrs),
      [
        { id: 'a', text: '@Ann' },
        { id: 'b', text: '@Bob' },
      ],
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
    assert.ok(
      adfNodes(doc)
        .filter((n) => n.type === 'text')
        .every((n) => n.text.length > 0),
    );
  });

  it('produces schema-valid ADF for any nesting of the elements Teams and editors write', () => {
    // A seeded tag soup: every element the converter knows, nested at random, unbalanced at times.
    const tags = [
      'p',
      'div',
      'b',
      'i',
      'u',
      's',
      'code',
      'pre',
      'a',
      'ul',
      'ol',
      'li',
      'blockquote',
      'h1',
      'h4',
      'table',
      'tr',
      'td',
      'th',
      'span',
      'br',
      'hr',
      'at',
      'img',
      'sub',
    ];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const soup = (depth: number): string => {
      let html = '';
      for (let i = 0, n = 1 + random(4); i < n; i++) {
        const tag = tags[random(tags.length)];
        const text = ['x', ' ', 'word ', '&nbsp;', '😀', ''][random(6)];
        if (tag === 'br' || tag === 'hr') html += `<${tag}>`;
        else if (tag === 'img') html += random(2) ? '<img itemtype="http://schema.skype.com/Emoji" alt="👍">' : '<img src="https://e.com/i.png">';
        else if (tag === 'a') html += `<a href="https://e.com/${i}">${depth > 0 ? soup(depth - 1) : text}</a>`;
        else if (tag === 'at') html += `<at id="${random(3)}">N${i}</at>`;
        else html += `<${tag}>${text}${depth > 0 ? soup(depth - 1) : ''}${random(5) ? `</${tag}>` : ''}`;
      }
      return html;
    };
    for (let round = 0; round < 300; round++) {
      const html = soup(4);
      const doc = htmlToAdf(html, { mentions: { '1': 'acc-1', '2': 'acc-1' } });
      assertValidAdf(doc);
      // Rules Jira's editor enforces beyond the JSON schema.
      for (const node of adfNodes(doc)) {
        if (node.type === 'listItem') assert.ok(['paragraph', 'codeBlock'].includes(node.content[0].type), html);
        if (node.type === 'tableRow') assert.ok(node.content.length > 0, html);
        if (node.type === 'text') {
          assert.ok(node.text.length > 0, html);
          const marks = (node.marks ?? []).map((m: { type: string }) => m.type);
          assert.equal(new Set(marks).size, marks.length, `duplicate marks in ${html}`);
        }
      }
    }
  });
});
