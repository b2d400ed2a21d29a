import assert from 'node:assert/strict';
import { addCommentDialogCard, AddCommentVerb } from '../../src/cards/add-comment-dialog-card';
import { addCommentConfirmationCard } from '../../src/cards/add-comment-confirmation-card';
import { escapeCardText } from '../../src/cards/adaptive-card';
import { assertValidCard, cardText, findCardElement as find } from '../support/validate-card';

const issues = [
  { key: 'WEB-12', summary: 'Checkout fails' },
  { key: 'OPS-3', summary: 'Rotate keys' },
];

describe('add comment dialog card', () => {
  it('offers recent issues in order and the prefilled comment', () => {
    const card = addCommentDialogCard({ issues, values: { comment: 'Seen again today\n\nFrom Teams' } });
    assertValidCard(card);
    assert.deepEqual(find(card, 'issue')?.choices, [
      { title: 'WEB-12: Checkout fails', value: 'WEB-12' },
      { title: 'OPS-3: Rotate keys', value: 'OPS-3' },
    ]);
    assert.equal(find(card, 'comment')?.value, 'Seen again today\n\nFrom Teams');
    assert.equal(find(card, 'comment')?.isMultiline, true);
    assert.equal(find(card, 'issueQuery')?.type, 'Input.Text');
  });

  it('keeps the query, choice and comment and shows errors after a failed submit', () => {
    const card = addCommentDialogCard({
      issues,
      values: { issue: 'OPS-3', issueQuery: 'login', comment: 'text' },
      errors: { issueQuery: 'No issue matches "login".' },
      listNote: 'Recent issues',
      formError: 'Your Jira connection expired. Sign in again.',
    });
    assertValidCard(card);
    assert.equal(find(card, 'issue')?.value, 'OPS-3');
    assert.equal(find(card, 'issueQuery')?.value, 'login');
    assert.ok(cardText(card).includes(escapeCardText('No issue matches "login".')));
    assert.match(cardText(card), /connection expired/);
  });

  it('says how to find an issue when there are no recent ones, and sends both verbs', () => {
    const card = addCommentDialogCard({ issues: [], values: {}, submitData: { messageId: '1' } });
    assertValidCard(card);
    assert.equal(find(card, 'issue'), undefined);
    assert.match(cardText(card), /Find one by key or text/);
    const json = JSON.stringify(card);
    assert.ok(json.includes(AddCommentVerb.Search) && json.includes(AddCommentVerb.Submit));
    assert.ok(json.includes('"messageId":"1"'));
  });
});

describe('add comment confirmation card', () => {
  it('confirms with the issue and a link to it', () => {
    const card = addCommentConfirmationCard({ issueKey: 'WEB-12', issueSummary: 'Checkout [fails]', url: 'https://acme.atlassian.net/browse/WEB-12?focusedCommentId=10001' });
    assertValidCard(card);
    assert.match(cardText(card), /Comment added to WEB\\-12/);
    assert.match(cardText(card), /Checkout \\\[fails\\\]/);
    assert.equal(card.actions?.[0]?.url, 'https://acme.atlassian.net/browse/WEB-12?focusedCommentId=10001');
  });
});
