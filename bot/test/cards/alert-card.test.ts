import assert from 'node:assert/strict';
import { alertCard } from '../../src/cards/alert-card';
import { alertDigestCard } from '../../src/cards/alert-digest-card';
import { issueCard } from '../../src/cards/issue-card';
import { issueView } from '../support/issue-view';
import { assertValidCard, cardText } from '../support/validate-card';
import { issueEvent } from '../alerts/issue-event-builder';

describe('alertCard', () => {
  it('shows who changed what from -> to, and the issue key, summary and status', () => {
    const card = alertCard(issueEvent({ key: 'OPS-7' }));
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Ada Lovelace changed the status of OPS\\-7/);
    assert.match(text, /Summary of OPS\\-7/);
    assert.match(text, /To Do → In Progress/);
    assert.match(text, /IN PROGRESS/);
    assert.ok(card.actions?.some((a) => a.type === 'Action.OpenUrl' && a.url === 'https://acme.atlassian.net/browse/OPS-7'));
    assert.ok(card.actions?.some((a) => a.type === 'Action.Execute' && a.verb === 'jira.assign'));
    assert.match(JSON.stringify(card.actions), /"verb":"jira.comment","data":\{"key":"OPS-7","site":"acme.atlassian.net"\}/);
  });

  it('names its site in card actions as the issue card does, so Assign to me and Comment act on it', () => {
    // The action handler compares this with the clicking user's own site host; a full URL never matched.
    const assignData = (card: object) => /"verb":"jira.assign","data":(\{[^}]*\})/.exec(JSON.stringify(card))?.[1];
    const issue = issueCard(issueView({ key: 'OPS-7', url: 'https://acme.atlassian.net/browse/OPS-7' }));
    assert.equal(assignData(alertCard(issueEvent({ key: 'OPS-7' }))), '{"key":"OPS-7","site":"acme.atlassian.net"}');
    assert.equal(assignData(issue), assignData(alertCard(issueEvent({ key: 'OPS-7' }))));
  });

  it('does not offer Assign to me on an assignment to someone, as in the "assigned to you" notification', () => {
    const titles = (card: ReturnType<typeof alertCard>) => (card.actions ?? []).map((a) => a.title);
    const event = issueEvent({ kinds: ['assigned'], changes: [{ field: 'assignee', from: null, to: 'Bob Builder' }] });
    event.issue.assignee = { accountId: 'acc-bob', displayName: 'Bob Builder' };
    assert.deepEqual(titles(alertCard(event)), ['Comment', 'Open in Jira']);
    // Unassigned, or any other change: someone may take it.
    const unassigned = issueEvent({ kinds: ['assigned'], changes: [{ field: 'assignee', from: 'Bob Builder', to: null }] });
    assert.deepEqual(titles(alertCard(unassigned)), ['Assign to me', 'Comment', 'Open in Jira']);
    assert.deepEqual(titles(alertCard(issueEvent())), ['Assign to me', 'Comment', 'Open in Jira']);
  });

  it('offers no actions on a test alert, which no Jira issue is behind', () => {
    assert.deepEqual(alertCard({ ...issueEvent(), test: true }).actions ?? [], []);
  });

  it('escapes Markdown from Jira and shows a missing value as None', () => {
    const event = issueEvent({ kinds: ['assigned'], changes: [{ field: 'assignee', from: null, to: '**Bob** [x](javascript:1)' }] });
    event.issue.summary = '# not a heading';
    const text = cardText(alertCard(event));
    assert.match(text, /None → \\\*\\\*Bob\\\*\\\* \\\[x\\\]\(javascript:1\)/);
    assert.match(text, /\\# not a heading/);
  });

  it('folds earlier changes into an updated card', () => {
    const first = issueEvent({ key: 'OPS-8' });
    const card = alertCard(issueEvent({ key: 'OPS-8', kinds: ['commented'], changes: [], comment: { id: '1', excerpt: 'Looks good' } }), { earlier: [first] });
    assertValidCard(card);
    assert.match(cardText(card), /Looks good/);
    assert.match(cardText(card), /Earlier changes/);
  });
});

describe('alertDigestCard', () => {
  it('lists each issue once and stays valid for a large bulk change', () => {
    const events = Array.from({ length: 60 }, () => issueEvent());
    const card = alertDigestCard([...events, issueEvent({ key: events[0].issue.key, issueId: events[0].issue.id })]);
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /60 issues changed by Ada Lovelace/);
    assert.match(text, /\(2 changes\)/);
    assert.match(text, /and 30 more/);
  });

  it('says what changed on each issue: the newest value of each field, a new comment, a creation', () => {
    const card = alertDigestCard([
      issueEvent({ key: 'PHX-1', issueId: '1', kinds: ['priorityChanged'], changes: [{ field: 'priority', from: 'Medium', to: 'High' }] }),
      issueEvent({ key: 'PHX-2', issueId: '2', kinds: ['commented'], changes: [], comment: { id: '9', excerpt: 'Looks good' } }),
      issueEvent({ key: 'PHX-1', issueId: '1', kinds: ['priorityChanged'], changes: [{ field: 'priority', from: 'High', to: 'Highest' }] }),
      issueEvent({ key: 'PHX-3', issueId: '3', kinds: ['assigned'], changes: [{ field: 'assignee', from: 'Bob', to: null }] }),
    ]);
    assertValidCard(card);
    const lines = cardText(card).split('\n');
    assert.match(lines.find((l) => l.includes('PHX\\-1')) ?? '', /: Priority → Highest \(2 changes\)$/);
    assert.match(lines.find((l) => l.includes('PHX\\-2')) ?? '', /: new comment$/);
    assert.match(lines.find((l) => l.includes('PHX\\-3')) ?? '', /: Assignee → None$/);
  });
});
