import assert from 'node:assert/strict';
import issue from '../../fixtures/jira/issue.get.200.json';
import { adfToCardText } from '../../../src/jira/adf/adf-to-card-text';
import { renderCardMarkdown, visibleText } from '../../support/render-card-markdown';

const text = (value: string, marks?: unknown[]) => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const item = (...content: unknown[]) => ({ type: 'listItem', content });

describe('adfToCardText', () => {
  it("reads the description of Atlassian's example issue", () => {
    assert.equal(adfToCardText(issue.fields.description), 'Main order flow broken');
  });

  it('cuts a long comment at a word boundary and ends it with an ellipsis', () => {
    const out = adfToCardText(issue.fields.comment[0].body, { maxLength: 60 });
    assert.equal(out, 'Lorem ipsum dolor sit amet, consectetur adipiscing elit…');
    assert.ok(out.length <= 61);
  });

  it('keeps structure as the Markdown Teams renders, with names, link text and emoji', () => {
    const out = adfToCardText(
      doc(
        { type: 'heading', attrs: { level: 2 }, content: [text('Steps')] },
        paragraph(
          text('Ask '),
          { type: 'mention', attrs: { id: '5b10a2844c20165700ede21g', text: '@Mia Krystof' } },
          text(' to read '),
          text('the runbook', [{ type: 'link', attrs: { href: 'https://evil.example/phish' } }]),
          text(' '),
          { type: 'emoji', attrs: { shortName: ':smile:', id: '1f604', text: '😄' } },
          { type: 'emoji', attrs: { shortName: ':custom-party:' } },
          { type: 'hardBreak' },
          text('then deploy', [{ type: 'strong' }]),
        ),
        { type: 'bulletList', content: [item(paragraph(text('one')), { type: 'bulletList', content: [item(paragraph(text('nested')))] }), item(paragraph(text('two')))] },
        { type: 'orderedList', attrs: { order: 3 }, content: [item(paragraph(text('three'))), item(paragraph(text('four')))] },
        { type: 'codeBlock', attrs: { language: 'sh' }, content: [text('npm ci\n    npm test')] },
        { type: 'mediaSingle', attrs: { layout: 'center' }, content: [{ type: 'media', attrs: { id: 'abc', type: 'file', collection: 'jira' } }] },
        {
          type: 'taskList',
          attrs: { localId: 't' },
          content: [
            { type: 'taskItem', attrs: { localId: 'a', state: 'DONE' }, content: [text('written')] },
            { type: 'taskItem', attrs: { localId: 'b', state: 'TODO' }, content: [text('reviewed')] },
          ],
        },
        paragraph({ type: 'status', attrs: { text: 'blocked', color: 'red' } }, text(' since '), { type: 'date', attrs: { timestamp: '1700000000000' } }),
      ),
    );
    assert.equal(
      out,
      [
        '**Steps**',
        'Ask @Mia Krystof to read the runbook 😄:custom\\-party:',
        'then deploy',
        '- one\n  - nested\n- two\n3. three\n4. four',
        'npm ci',
        'npm test',
        '- ☑ written\n- ☐ reviewed',
        '\\[BLOCKED\\] since 2023\\-11\\-14',
      ].join('\n\n'),
    );
    assert.doesNotMatch(out, /evil\.example/, 'link targets are not shown');
    const html = renderCardMarkdown(out);
    assert.match(html, /<strong>Steps<\/strong>/);
    assert.match(html, /<ul>\n<li>one\n<ul>\n<li>nested<\/li>/);
    assert.match(html, /<ol start="3">/);
    assert.doesNotMatch(html, /<a |<img|<pre|<code/);
  });

  it('escapes Jira text so that Markdown, HTML, entities and date macros show as typed', () => {
    const hostile = [
      '**bold** _it_ ~~gone~~ `code` [click](https://evil.example) ![img](https://evil.example/i.png)',
      '<b>html</b> <a href="https://evil.example">a</a> &amp; &lt;tag&gt; <https://evil.example>',
      '{{DATE(2017-02-14T06:08:39Z, SHORT)}} \\* | a | b |',
    ];
    for (const line of hostile) {
      const out = adfToCardText(doc(paragraph(text(line))), { maxLength: 1000 });
      const html = renderCardMarkdown(out);
      assert.match(html, /^<p>[^]*<\/p>\n$/, `one plain paragraph for ${line}`);
      assert.doesNotMatch(html.slice(3, -5), /<[a-z]/, `no tags from ${line}`);
      assert.equal(visibleText(html), line);
      assert.doesNotMatch(out, /\{\{DATE/, 'the date macro is broken up');
    }
  });

  it('does not let a paragraph start a heading, a list, a quote, a code block or a rule', () => {
    for (const line of ['# heading', '- item', '+ item', '1. item', '2) item', '> quote', '    code', '---', '===', '| a | b |']) {
      const out = adfToCardText(doc(paragraph(text('x')), { type: 'codeBlock', content: [text(`${line}\n${line}`)] }));
      const html = renderCardMarkdown(out);
      assert.doesNotMatch(html, /<h\d|<ul|<ol|<blockquote|<pre|<hr|<table/, `${line} -> ${html}`);
    }
  });

  it('shows wiki-markup and plain-string descriptions as escaped text', () => {
    assert.equal(adfToCardText('h1. Title\r\n\r\n*bold* text'), 'h1. Title\n\n\\*bold\\* text');
  });

  it('returns nothing for documents without text, and survives junk', () => {
    for (const junk of [null, undefined, 42, [], {}, { type: 'doc' }, { type: 'doc', content: 'x' }, { type: 'doc', content: [null, 1, 'a', { type: 'text' }] }]) {
      assert.equal(adfToCardText(junk), '');
    }
    assert.equal(adfToCardText(doc({ type: 'mediaGroup', content: [{ type: 'media', attrs: { id: 'a', type: 'file', collection: '' } }] })), '');
    assert.equal(adfToCardText(doc(paragraph({ type: 'mention', attrs: { id: 'x' } }))), '@someone');
    assert.equal(adfToCardText(doc(paragraph(text('a'), { type: 'date', attrs: { timestamp: 'soon' } }))), 'a');
  });

  it('reads unknown containers for their text', () => {
    assert.equal(adfToCardText(doc({ type: 'futureBox', content: [paragraph(text('inside'))] })), 'inside');
    assert.equal(adfToCardText(doc({ type: 'panel', attrs: { panelType: 'info' }, content: [paragraph(text('note'))] })), 'note');
  });

  it('stops early on huge and deeply nested documents', () => {
    let deep: unknown = paragraph(text('bottom'));
    for (let i = 0; i < 20_000; i++) deep = { type: 'blockquote', content: [deep] };
    assert.equal(adfToCardText(doc(deep)), '');

    // Counts the paragraphs the walk looks into: how far it went, not how long it took (speed is the bench's).
    const visited = new Set<number>();
    const content = Array.from(
      { length: 200_000 },
      (_, i) =>
        new Proxy(paragraph(text(`paragraph ${i} `.repeat(5))), {
          get(target, property, receiver) {
            if (property === 'content') visited.add(i);
            return Reflect.get(target, property, receiver);
          },
        }),
    );
    const huge = { type: 'doc', version: 1, content };
    const out = adfToCardText(huge, { maxLength: 120 });
    assert.ok(visited.size > 0 && visited.size < 100, `stops walking once the excerpt is full (looked into ${visited.size} of 200000 paragraphs)`);
    assert.ok(out.endsWith('…'));
    assert.ok(visibleText(renderCardMarkdown(out)).replace(/\s+/g, ' ').length <= 125);
  });

  it('cuts a single long word hard rather than dropping it', () => {
    const out = adfToCardText(doc(paragraph(text('x'.repeat(1000)))), { maxLength: 10 });
    assert.equal(out, `${'x'.repeat(10)}…`);
  });

  it('never splits an emoji', () => {
    const out = adfToCardText(doc(paragraph(text('😄'.repeat(10)))), { maxLength: 5 });
    assert.doesNotMatch(out, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
