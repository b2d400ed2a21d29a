import assert from 'node:assert/strict';
import { normalizeJiraWebhook } from '../../src/alerts/normalize-jira-webhook';
import { alertCard } from '../../src/cards/alert-card';
import { alertDigestCard } from '../../src/cards/alert-digest-card';
import { assertValidCard } from '../support/validate-card';
import { issueEvent } from './issue-event-builder';
import { webhookFixture } from './webhook-fixture';

const SITE = 'https://some-instance-test.atlassian.net';
const BOB = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Bob Smith' };

/** A recorded issue update turned into what Jira Cloud sends for an assignment: issue_assigned, empty changelog. */
function emptyAssignment(assignee: unknown): Record<string, unknown> {
  const payload = JSON.parse(webhookFixture('jira-issue_updated.changelog-status')) as Record<string, any>;
  payload.issue_event_type_name = 'issue_assigned';
  payload.changelog = { id: payload.changelog.id, items: [] };
  payload.issue.fields.assignee = assignee;
  return payload;
}

const texts = (card: unknown) => JSON.stringify(card);

describe('alerts against real Jira Cloud (issue #17 defects 2 and 9)', () => {
  it('accepts an issue_assigned webhook with an empty changelog, taking the assignee from the issue fields', () => {
    const event = normalizeJiraWebhook(emptyAssignment(BOB), SITE);
    assert.ok(event, 'the assignment is not dropped');
    assert.deepEqual(event.kinds, ['assigned']);
    // The poller names the same change by its changelog id, so the two stay one alert.
    assert.equal(event.id, '10040:changelog:10228');
    assert.deepEqual(event.issue.assignee, BOB);
    const card = alertCard(event);
    assertValidCard(card);
    assert.match(texts(card), /"title":"Assignee","value":"Bob Smith"/);
  });

  it('reads an empty-changelog unassignment as an assignment to nobody', () => {
    const event = normalizeJiraWebhook(emptyAssignment(null), SITE);
    assert.ok(event);
    assert.deepEqual(event.kinds, ['assigned']);
    assert.equal(event.issue.assignee, undefined);
    const card = alertCard(event);
    assertValidCard(card);
    assert.match(texts(card), /"title":"Assignee","value":"Unassigned"/);
  });

  it('keeps an assignee whose display name Jira withholds (null) as a neutral name, never as unassigned', () => {
    const event = normalizeJiraWebhook(emptyAssignment({ accountId: BOB.accountId, displayName: null }), SITE);
    assert.ok(event);
    // The account id is what the "assigned to you" notice matches on.
    assert.deepEqual(event.issue.assignee, { accountId: BOB.accountId, displayName: 'Someone' });
    const card = alertCard(event);
    assertValidCard(card);
    assert.match(texts(card), /"title":"Assignee","value":"Someone"/);
    assert.doesNotMatch(texts(card), /Unassigned/);
  });

  it('keeps a null-named assignee on a regular update, so personal matching still sees the account', () => {
    const payload = JSON.parse(webhookFixture('jira-issue_updated.changelog-status')) as Record<string, any>;
    payload.issue.fields.assignee = { accountId: BOB.accountId, displayName: null };
    const event = normalizeJiraWebhook(payload, SITE);
    assert.ok(event);
    assert.equal(event.issue.assignee?.accountId, BOB.accountId);
  });

  it('shows an assignee change to a person with a withheld name as that person, not as none or a raw account id', () => {
    const payload = JSON.parse(webhookFixture('jira-issue_updated.changelog-status')) as Record<string, any>;
    payload.issue_event_type_name = 'issue_assigned';
    payload.changelog.items = [{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: BOB.accountId, toString: null }];
    const event = normalizeJiraWebhook(payload, SITE);
    assert.ok(event);
    assert.deepEqual(event.changes, [{ field: 'assignee', fieldId: 'assignee', from: null, to: 'Someone' }]);
    const card = alertCard(event);
    assertValidCard(card);
    assert.match(texts(card), /None → Someone/);
    assert.doesNotMatch(texts(card), new RegExp(BOB.accountId));
  });

  it('lists a deleted issue in a digest as deleted, not under the status it had', () => {
    const deleted = issueEvent({ key: 'PHX-9', kinds: ['deleted'], changes: [] });
    deleted.issue.status = { name: 'To Do', category: 'new' };
    const other = issueEvent({ key: 'PHX-10' });
    const card = alertDigestCard([deleted, other]);
    assertValidCard(card);
    const lines = String(card.body[1].text).split('\n');
    const line = lines.find((l) => l.includes('PHX-9'));
    assert.ok(line);
    assert.match(line, /· Deleted$/);
    assert.doesNotMatch(line, /To Do/);
    // A live issue keeps its status, followed by what changed (the digest's lines say that since 2cc44cf).
    assert.match(lines.find((l) => l.includes('PHX-10')) ?? '', /· In Progress: Status → In Progress$/);
  });
});
