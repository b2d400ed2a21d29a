import assert from 'node:assert/strict';
import { escapeCardLine, escapeCardText } from '../../src/cards/adaptive-card';
import { renderCardMarkdown, visibleText } from '../support/render-card-markdown';

describe('escapeCardText', () => {
  const typed = [
    'Fix **login** for _admins_ (see [docs](https://evil.example))',
    '<img src=x onerror=alert(1)> <b>bold</b> &amp; &#42; &copy;',
    '# not a heading',
    '1. not a list',
    '- not a list',
    '> not a quote',
    '~~not struck~~ `not code` \\*',
    '{{DATE(2017-02-14T06:08:39Z, SHORT)}} {{TIME(2017-02-14T06:08:39Z)}}',
    'version 1.2.3 costs $5.00 at 10:30',
    '1) not a list\n2) nor this',
    'not a heading\n===',
    'not a link [x]\n(https://evil.example)',
  ];
  for (const text of typed) {
    it(`shows ${JSON.stringify(text)} as typed`, () => {
      const html = renderCardMarkdown(escapeCardText(text));
      assert.equal(visibleText(html), text);
      assert.doesNotMatch(html.slice(3), /<(?!\/p>)/, 'only the paragraph is markup');
    });
  }

  it("shows Jira's JQL errors without backslashes before parentheses or =", () => {
    // Some Teams clients and the Agents Playground show a backslash as typed.
    for (const error of [
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'foo'. (line 1, character 15)",
      "The value 'NOPE' does not exist for the field 'project'.",
      'Not a valid function: assignee = currentUsr()',
    ]) {
      assert.equal(escapeCardText(error), error);
    }
  });

  it('keeps dots that cannot start a list unescaped', () => {
    assert.equal(escapeCardText('v1.2 done.'), 'v1.2 done.');
    assert.equal(escapeCardText('12. twelve'), '12\\. twelve');
  });

  it('stops indentation from making a code block, and drops control characters', () => {
    const out = escapeCardText('    indented\u0007\r\nnext');
    assert.equal(out, '\u00a0\u00a0\u00a0\u00a0indented\nnext');
    assert.doesNotMatch(renderCardMarkdown(out), /<pre/);
  });

  it('escapes list markers and underlines after indentation, and at the start of every kind of line', () => {
    assert.equal(escapeCardText('  1. a\n\t2) b\n  ==='), '\u00a0\u00a01\\. a\n\u00a02\\) b\n\u00a0\u00a0\\===');
    assert.equal(escapeCardText('x\r  3. y\r\n= z'), 'x\n\u00a0\u00a03\\. y\n\\= z', 'a lone or paired carriage return starts a line');
    assert.equal(escapeCardText('\u0001  4. w'), '\u00a0\u00a04\\. w', 'a dropped control character does not hide the line start');
    assert.equal(escapeCardText('#1. -1. a=1 1= 12)'), '\\#1. \\-1. a=1 1= 12)', 'only at the start of a line');
    assert.equal(escapeCardText(''), '');
  });

  it('escapes as six passes of the rules one after the other would, on random text', () => {
    // The rules applied one at a time, as this function did before it became one pass.
    const reference = (text: string) =>
      text
        .replace(/\r\n?/g, '\n')
        // eslint-disable-next-line no-control-regex -- the control characters are the point
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
        .replace(/([\\`*_{}[\]#+\-!|>~<&])/g, '\\$1')
        .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2')
        .replace(/^([ \t]*)=/gm, '$1\\=')
        .replace(/^[ \t]+/gm, (blanks) => '\u00a0'.repeat(blanks.length));
    const alphabet = [' ', ' ', '\t', '\n', '\r', '\u0007', '\u0085', '\u2028', '1', '23', '.', ')', '(', '=', '#', '-', '*', '\\', '[', ']', '{', '<', '&', 'a', 'é'];
    let seed = 17;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5_000; i += 1) {
      const text = Array.from({ length: Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      assert.equal(escapeCardText(text), reference(text), JSON.stringify(text));
    }
  });

  it('escapeCardLine folds a multi-line value onto one line', () => {
    assert.equal(escapeCardLine('  two\n\nlines  '), 'two lines');
  });
});
