import assert from 'node:assert/strict';
import { issueCard } from '../../../src/cards/issue-card';
import { toIssueCardView, toIssueListItem } from '../../../src/jira/views/issue-card-view';
import { toBacklogIssue } from '../../../src/meetings/to-backlog-issue';
import { assertValidCard, cardText } from '../../support/validate-card';

const SITE = 'https://acme.atlassian.net';
const HIDDEN = { accountId: '712020:5b10ac8d-0000-4000-8000-00000000e0a1', displayName: null, emailAddress: 'hidden@example.com' };

/** An issue whose assignee and reporter keep their names from apps (profile visibility): Jira sends `displayName: null`. */
const issue = {
  id: '10009',
  key: 'PHX-9',
  fields: { summary: 'Renew the certificate', status: { name: 'To Do', statusCategory: { key: 'new' } }, assignee: HIDDEN, reporter: { ...HIDDEN } },
};

/**
 * Issue #17 defect 9 outside alerts: the issue card (`show`, link unfurls), search rows and the
 * grooming tab take a person whose name Jira withholds as someone, never as nobody, and never
 * show their account id or email in its place.
 */
describe('people whose display name Jira withholds', () => {
  it('are shown on the issue card as someone, not "Unassigned" or "Nobody"', () => {
    const view = toIssueCardView(issue, SITE);
    assert.deepEqual(view.assignee, { accountId: HIDDEN.accountId, displayName: 'Someone' });
    const card = issueCard(view, { viewerAccountId: HIDDEN.accountId });
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Assignee\nSomeone/);
    assert.match(text, /Reporter\nSomeone/);
    assert.doesNotMatch(text, /Unassigned|Nobody/);
    assert.ok(!text.includes(HIDDEN.accountId) && !text.includes(HIDDEN.emailAddress));
    // The account still counts: the assignee is offered no "Assign to me".
    assert.ok(!JSON.stringify(card.actions).includes('Assign to me'));
  });

  it('keep the assignee of a search result row', () => {
    assert.deepEqual(toIssueListItem(issue, SITE).assignee, { displayName: 'Someone' });
  });

  it('are shown in the grooming tab as someone, not by account id', () => {
    const row = toBacklogIssue(issue, SITE);
    assert.deepEqual(row.assignee, { accountId: HIDDEN.accountId, displayName: 'Someone' });
  });

  it('still leave an issue without any assignee unassigned', () => {
    const view = toIssueCardView({ ...issue, fields: { ...issue.fields, assignee: null, reporter: { displayName: null } } }, SITE);
    assert.equal(view.assignee, undefined);
    assert.equal(view.reporter, undefined, 'no account and no name: nobody to show');
    assert.match(cardText(issueCard(view)), /Assignee\nUnassigned/);
  });
});
