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

  it('escapeCardLine folds a multi-line value onto one line', () => {
    assert.equal(escapeCardLine('  two\n\nlines  '), 'two lines');
  });
});
