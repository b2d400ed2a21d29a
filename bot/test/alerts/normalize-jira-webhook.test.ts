import assert from 'node:assert/strict';
import { normalizeJiraWebhook } from '../../src/alerts/normalize-jira-webhook';
import { webhookFixture } from './webhook-fixture';

const SITE = 'https://some-instance-test.atlassian.net';

describe('normalizeJiraWebhook (recorded Jira Cloud payloads)', () => {
  it('reads an issue creation with its actor and snapshot, without the email', () => {
    const event = normalizeJiraWebhook(JSON.parse(webhookFixture('jira-issue_created')), SITE);
    assert.ok(event);
    assert.equal(event.id, '10040:created');
    assert.deepEqual(event.kinds, ['created']);
    assert.deepEqual(event.actor, { accountId: '5c5f880629be9642ba529340', displayName: 'Test User' });
    assert.equal(event.issue.key, 'TES-41');
    assert.equal(event.issue.url, `${SITE}/browse/TES-41`);
    assert.deepEqual(event.issue.status, { name: 'To Do', category: 'new' });
    assert.equal(event.issue.priority, 'High');
    assert.equal(event.issue.projectKey, 'TES');
    assert.equal(event.occurredAt, new Date(1550286113023).toISOString());
    assert.doesNotMatch(JSON.stringify(event), /gmail/);
  });

  it('reads a resolution as resolved and transitioned, with the status from -> to', () => {
    const event = normalizeJiraWebhook(JSON.parse(webhookFixture('jira-issue_updated.changelog-status')), SITE);
    assert.ok(event);
    assert.equal(event.id, '10040:changelog:10228');
    assert.deepEqual(event.kinds, ['resolved', 'transitioned']);
    assert.deepEqual(
      event.changes.map((c) => [c.field, c.from, c.to]),
      [
        ['resolution', null, 'Done'],
        ['status', 'In Progress', 'Done'],
      ],
    );
    assert.deepEqual(event.issue.status, { name: 'Done', category: 'done' });
  });

  it('reads a comment with an excerpt, under the id the issue_commented update also gets', () => {
    const payload = JSON.parse(webhookFixture('comment_created'));
    const event = normalizeJiraWebhook(payload, SITE);
    assert.ok(event);
    assert.equal(event.id, '10040:comment:10019');
    assert.deepEqual(event.kinds, ['commented']);
    assert.deepEqual(event.comment, { id: '10019', excerpt: 'Added a comment' });
    const twin = normalizeJiraWebhook({ ...payload, webhookEvent: 'jira:issue_updated', issue_event_type_name: 'issue_commented' }, SITE);
    assert.equal(twin?.id, event.id);
  });

  it('shows a wiki-markup mention in a v2 comment as a person, never as the raw account id, and still notifies them', () => {
    const payload = JSON.parse(webhookFixture('comment_created'));
    payload.comment.body = '[~accountid:5b10ac8d82e05b22cc7d4ef5] can you look at this?';
    const event = normalizeJiraWebhook(payload, SITE);
    assert.ok(event);
    assert.deepEqual(event.comment, { id: '10019', excerpt: '@someone can you look at this?' });
    assert.deepEqual(event.mentions, ['5b10ac8d82e05b22cc7d4ef5']);
  });

  it('classifies assignee, priority and other field changes, and takes ADF comment bodies', () => {
    const payload = JSON.parse(webhookFixture('jira-issue_updated.changelog-status'));
    payload.changelog.items = [
      { field: 'assignee', fieldId: 'assignee', fromString: null, toString: 'Bob' },
      { field: 'priority', fieldId: 'priority', fromString: 'High', toString: 'Low' },
      { field: 'Story Points', fieldId: 'customfield_10016', fromString: '3', toString: '5' },
    ];
    assert.deepEqual(normalizeJiraWebhook(payload, SITE)?.kinds, ['assigned', 'priorityChanged', 'fieldChanged']);
    const comment = JSON.parse(webhookFixture('comment_created'));
    comment.comment.body = {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Hi ' },
            { type: 'mention', attrs: { text: '@Ada' } },
          ],
        },
      ],
    };
    assert.equal(normalizeJiraWebhook(comment, SITE)?.comment?.excerpt, 'Hi @Ada');
  });

  it('ignores bodies that are not about an issue, and updates without a changelog', () => {
    assert.equal(normalizeJiraWebhook({ webhookEvent: 'project_created', project: {} }, SITE), undefined);
    assert.equal(normalizeJiraWebhook('nope', SITE), undefined);
    const payload = JSON.parse(webhookFixture('jira-issue_updated.changelog-status'));
    delete payload.changelog;
    assert.equal(normalizeJiraWebhook(payload, SITE), undefined);
  });
});
