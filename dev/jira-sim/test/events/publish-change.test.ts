import assert from 'node:assert/strict';
import { createIssue } from '../../src/issues/create-issue';
import { editIssue } from '../../src/issues/edit-issue';
import { publishChange } from '../../src/events/publish-change';
import { renderIssue } from '../../src/render/render-issue';
import { seedDemo } from '../../src/site/seed-demo';
import { SiteState } from '../../src/site/site-state';
import type { ChangeMatcher } from '../../src/site-hooks';
import type { WebhookEventPayload } from '../../src/webhook-event';

describe('publishChange', () => {
  const published: Array<{ payload: WebhookEventPayload; matches: ChangeMatcher }> = [];
  const state = new SiteState(seedDemo({ cloudId: 'c', name: 'sim', url: 'http://sim.test' }), () => Date.UTC(2026, 5, 1));
  const publish = publishChange(state, { publish: (payload, matches) => published.push({ payload, matches }) });
  const bob = state.userByEmail('bob@example.com')!;

  it('sends the issue as REST renders it, the actor as user, and a JQL matcher for the changed issue', () => {
    const change = createIssue(state, bob.accountId, {
      fields: { project: { key: 'PHX' }, issuetype: { name: 'Bug' }, summary: 'Crash on save', labels: ['crash'] },
    });
    publish(change);
    const { payload, matches } = published.at(-1)!;
    assert.equal(payload.webhookEvent, 'jira:issue_created');
    assert.equal(payload.issue_event_type_name, 'issue_created');
    assert.equal((payload.user as { accountId: string }).accountId, bob.accountId);
    assert.deepEqual(payload.issue, renderIssue(state, change.issue, { defaultFields: '*all', expand: new Set(), viewerAccountId: null }));
    assert.equal(matches('project = PHX AND labels = crash'), true);
    assert.equal(matches('project = KAN'), false);
    assert.equal(matches('this is not jql'), false, 'an unparsable filter matches nothing');
  });

  it("matches as a webhook's user: currentUser() is that user, and hidden issues never match", () => {
    const sup = state.site.issues.find((i) => i.key.startsWith('SUP-') && i.values.assignee)!;
    const assignee = String(sup.values.assignee);
    const change = editIssue(state, assignee, sup, { fields: { labels: ['escalated'] } })!;
    publish(change);
    const { matches } = published.at(-1)!;
    assert.equal(matches('assignee = currentUser()', assignee), true);
    assert.equal(matches('assignee = currentUser()', bob.accountId), false);
    const victor = state.userByEmail('victor@example.com')!.accountId;
    assert.equal(matches('project = SUP', victor), false, 'victor cannot browse SUP');
    assert.equal(matches('project = SUP'), true, 'admin webhooks see every issue');
  });

  it("carries the changelog items with Jira's null ends", () => {
    const issue = state.site.issues.find((i) => i.projectId === '10000' && !i.values.duedate)!;
    const change = editIssue(state, bob.accountId, issue, { fields: { duedate: '2026-07-01' } });
    assert.ok(change);
    publish(change);
    const { payload } = published.at(-1)!;
    assert.equal(payload.webhookEvent, 'jira:issue_updated');
    assert.equal(payload.changelog!.id, issue.changelog.at(-1)!.id);
    assert.deepEqual(payload.changelog!.items, [
      { field: 'duedate', fieldtype: 'jira', fieldId: 'duedate', from: null, fromString: null, to: '2026-07-01', toString: '2026-07-01' },
    ]);
  });
});
