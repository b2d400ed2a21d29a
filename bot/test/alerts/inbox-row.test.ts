import assert from 'node:assert/strict';
import { fromInboxRow, toInboxRow } from '../../src/alerts/inbox-row';
import { ALL_EVENT_KINDS, type IssueEvent } from '../../src/alerts/issue-event';
import { normalizeJiraWebhook } from '../../src/alerts/normalize-jira-webhook';
import { pollEvents } from '../../src/alerts/poll-events';
import { issueEvent } from './issue-event-builder';
import { webhookFixture } from './webhook-fixture';

const SITE = 'https://some-instance-test.atlassian.net';
const FIXTURES = ['jira-issue_created', 'jira-issue_updated.changelog-status', 'comment_created'];

/** Through JSON, as the store keeps it, and back. */
const roundTrip = (event: IssueEvent, receivedAt = 1_790_000_000_123) => {
  const stored = JSON.parse(JSON.stringify(toInboxRow(event, receivedAt)));
  return fromInboxRow(stored, { site: event.site, id: event.id });
};

describe('inbox row', () => {
  it('gives back every recorded webhook event exactly, with its acceptance time', () => {
    for (const name of FIXTURES) {
      const event = normalizeJiraWebhook(JSON.parse(webhookFixture(name)), SITE);
      assert.ok(event, name);
      assert.deepEqual(roundTrip(event), { event, receivedAt: 1_790_000_000_123 }, name);
    }
  });

  it('gives back events the poller built, with their source', () => {
    const raw = {
      id: '10040',
      key: 'PHX-7',
      fields: {
        summary: 'Polled',
        project: { key: 'PHX' },
        created: '2026-11-28T10:00:00.000+0100',
        reporter: { accountId: 'acc-r', displayName: 'Rita Reporter' },
        comment: { comments: [{ id: '5', created: '2026-11-28T11:00:00.000+0000', author: { displayName: 'No Id' }, body: 'Hi [~accountid:acc-m]' }] },
      },
      changelog: {
        histories: [
          {
            id: '77',
            created: '2026-11-28T10:30:00.000+0000',
            author: { accountId: 'acc-r', displayName: 'Rita Reporter' },
            items: [{ field: 'Story Points', fieldId: 'customfield_10016', fromString: null, toString: '3' }],
          },
        ],
      },
    };
    const events = pollEvents(raw, SITE, 0);
    assert.equal(events.length, 3);
    for (const event of events) assert.deepEqual(roundTrip(event).event, event);
  });

  it('keeps every optional field, every kind, and values that do not follow from the keys', () => {
    const event = issueEvent({
      site: `${SITE}/`,
      kinds: [...ALL_EVENT_KINDS],
      changes: [
        { field: 'status', fieldId: 'status', from: 'To Do', to: 'Done' },
        { field: 'Story Points', fieldId: 'customfield_10016', from: null, to: '5' },
        { field: 'Legacy', from: 'a', to: null },
      ],
      issue: {
        id: '1',
        key: 'ABC-1',
        summary: 'Odd one',
        url: 'https://elsewhere.example/browse/ABC-1',
        projectKey: 'XYZ',
        status: { name: 'Done', category: 'done' },
        priority: 'Low',
        issueType: 'Bug',
        assignee: { displayName: 'No Account' },
        reporter: { accountId: 'acc-1', displayName: 'Ada Lovelace' },
        labels: ['a', 'b'],
        updated: '2026-11-28T10:00:00.000+0100',
      },
      actor: { accountId: 'acc-1', displayName: 'Ada Lovelace' },
      mentions: ['acc-2', 'acc-3'],
      comment: { id: '9', excerpt: '' },
      occurredAt: '2026-11-28T10:00:00+01:00',
      source: 'poll',
    });
    assert.deepEqual(roundTrip(event).event, event);
    const bare: IssueEvent = { ...issueEvent(), kinds: [], changes: [], issue: { id: '2', key: 'K-2', summary: '', url: `${SITE}/browse/K-2`, projectKey: 'K', labels: [] } };
    delete bare.actor;
    assert.deepEqual(roundTrip(bare).event, bare);
    const notActor = issueEvent({ issue: { ...issueEvent().issue, assignee: { accountId: 'acc-1', displayName: 'Someone Else' } } });
    assert.deepEqual(roundTrip(notActor).event, notActor);
  });

  it('is well under half the size of the event it holds', () => {
    const event = normalizeJiraWebhook(JSON.parse(webhookFixture('jira-issue_updated.changelog-status')), SITE)!;
    const compact = JSON.stringify(toInboxRow(event, Date.now())).length;
    const full = JSON.stringify({ event, state: 'received', receivedAt: Date.now() }).length;
    assert.ok(compact < full * 0.45, `${compact} bytes against ${full}`);
  });

  it('still reads rows written before it (version 1, the whole event)', () => {
    const event = issueEvent();
    assert.deepEqual(fromInboxRow({ event, state: 'received', receivedAt: 42 }, { site: 'ignored', id: 'ignored' }), { event, receivedAt: 42 });
  });

  it('refuses a row of an unknown version or kind instead of guessing', () => {
    const row = toInboxRow(issueEvent(), 1);
    assert.throws(() => fromInboxRow({ ...row, v: 3 } as never, { site: SITE, id: 'x' }), /version 3/);
    assert.throws(() => fromInboxRow({ ...row, k: 'z' }, { site: SITE, id: 'x' }), /kind code z/);
  });
});
