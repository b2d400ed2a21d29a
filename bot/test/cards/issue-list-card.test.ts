import assert from 'node:assert/strict';
import { issueListCard, type IssueListItem } from '../../src/cards/issue-list-card';
import { assertValidCard, cardText } from '../support/validate-card';
import { renderCardMarkdown, visibleText } from '../support/render-card-markdown';

const item = (n: number, overrides: Partial<IssueListItem> = {}): IssueListItem => ({
  key: `PROJ-${n}`,
  url: `https://acme.atlassian.net/browse/PROJ-${n}`,
  summary: `Issue number ${n}`,
  status: { name: n % 2 ? 'Done' : 'To Do', category: n % 2 ? 'done' : 'new' },
  ...overrides,
});

describe('issueListCard', () => {
  it('shows the count and the first issues, each opening in Jira', () => {
    const card = issueListCard({
      title: 'My open bugs',
      jql: 'assignee = currentUser()',
      total: 37,
      issues: Array.from({ length: 25 }, (_, i) => item(i + 1)),
      url: 'https://acme.atlassian.net/issues/?filter=10001',
    });
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /37 issues; the first 10:/);
    assert.match(text, /assignee = currentUser\(\)/);
    const rows = card.body.filter((e) => e.type === 'ColumnSet');
    assert.equal(rows.length, 10);
    assert.deepEqual(rows[0].selectAction, { type: 'Action.OpenUrl', url: 'https://acme.atlassian.net/browse/PROJ-1', title: 'Open PROJ-1' });
    assert.deepEqual(card.actions, [{ type: 'Action.OpenUrl', title: 'Open in Jira', url: 'https://acme.atlassian.net/issues/?filter=10001' }]);
  });

  it('says how many when Jira gives no total', () => {
    assert.match(cardText(issueListCard({ title: 't', issues: [item(1), item(2)], url: 'https://a.atlassian.net/issues' })), /^2 issues:$/m);
    assert.match(cardText(issueListCard({ title: 't', issues: [item(1)], hasMore: true, url: 'https://a.atlassian.net/issues' })), /More than 1 issues; the first 1:/);
    assert.match(cardText(issueListCard({ title: 't', total: 1, issues: [item(1)], url: 'https://a.atlassian.net/issues' })), /^1 issue:$/m);
  });

  it('says so when nothing matches', () => {
    const card = issueListCard({ title: 'status = Nope', issues: [], total: 0, url: 'https://acme.atlassian.net/issues/?jql=x' });
    assertValidCard(card);
    assert.match(cardText(card), /No issues match/);
  });

  it('escapes JQL and summaries, and drops links that are not http', () => {
    const hostile = '**x** [a](https://evil.example) <b>y</b>';
    const card = issueListCard({ title: hostile, issues: [item(1, { summary: hostile, url: 'javascript:alert(1)' })], url: 'data:text/html,x' });
    assertValidCard(card);
    for (const block of card.body.flatMap((e) => (e.type === 'TextBlock' ? [e] : [])).slice(0, 1)) {
      assert.equal(visibleText(renderCardMarkdown(String(block.text))), hostile);
    }
    assert.equal(card.actions, undefined);
    assert.equal(card.body.find((e) => e.type === 'ColumnSet')?.selectAction, undefined);
  });
});
