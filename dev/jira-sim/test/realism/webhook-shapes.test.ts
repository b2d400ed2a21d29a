import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import type { WebhookEventPayload } from '../../src/webhook-event';
import { simClient, simControl } from '../support/sim-client';
import { startReceiver, type Receiver } from '../webhooks/webhook-harness';

const RECORDED = join(__dirname, '../../../../../shared/ref/jira/samples/recorded');
const recorded = (name: string) => JSON.parse(readFileSync(join(RECORDED, name), 'utf8')) as Record<string, any>;

const richComment = {
  type: 'doc',
  version: 1,
  content: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Ship ' },
        { type: 'text', text: 'today', marks: [{ type: 'strong' }] },
      ],
    },
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
  ],
};

describe('jira-sim realism: webhook shapes', () => {
  let sim: JiraSim;
  let receiver: Receiver;

  beforeEach(async () => {
    sim = await startJiraSim({ webhookRetry: { attempts: 1, baseDelayMs: 5, timeoutMs: 1000 } });
    receiver = await startReceiver();
    const res = await fetch(`${sim.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'all', url: receiver.url, events: ['jira:issue_updated', 'comment_created'], filters: { 'issue-related-events-section': 'project = PHX' } }),
    });
    assert.equal(res.status, 201);
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  async function payloads(count: number): Promise<WebhookEventPayload[]> {
    await simControl(sim, 'POST', '/webhooks/idle', { timeoutMs: 3000 });
    const calls = await receiver.waitForCalls(count);
    return calls.map((c) => JSON.parse(c.rawBody) as WebhookEventPayload);
  }
  const byEvent = (all: WebhookEventPayload[], event: string) => all.find((p) => p.webhookEvent === event || p.issue_event_type_name === event)!;

  async function commentAndAssign() {
    const bob = simClient(sim, { email: 'bob@example.com' });
    await bob.post('/rest/api/3/issue/PHX-4/comment', { body: richComment });
    await bob.put('/rest/api/3/issue/PHX-4/assignee', { accountId: sim.state.userByEmail('erin@example.com')!.accountId });
    await bob.put('/rest/agile/1.0/issue/rank', { issues: ['PHX-4'], rankBeforeIssue: 'PHX-2' });
    return payloads(4);
  }

  it('sends full REST v3 shapes by default', async () => {
    const all = await commentAndAssign();
    const comment = byEvent(all, 'comment_created');
    assert.equal((comment.user as { displayName: string }).displayName, 'Bob Builder');
    assert.ok('reporter' in (comment.issue.fields as object) && 'labels' in (comment.issue.fields as object));
    assert.equal((comment.comment!.body as { type: string }).type, 'doc');
    assert.match(String(comment.issue.self), /\/rest\/api\/3\/issue\//);
    assert.deepEqual(
      byEvent(all, 'issue_assigned').changelog!.items.map((i) => i.fieldId),
      ['assignee'],
    );
    assert.deepEqual(
      byEvent(all, 'issue_generic').changelog!.items.map((i) => i.fieldId),
      ['customfield_10019'],
    );
  });

  it('sends what Jira Cloud sends with the realism switches on, as in the recorded samples', async () => {
    await simControl(sim, 'POST', '/realism', { webhookRestV2: true, thinCommentEvents: true, emptyAssigneeChangelog: true, displayNameFieldIds: true });
    const all = await commentAndAssign();

    const comment = byEvent(all, 'comment_created');
    const sample = recorded('webhook-cloud-comment-created.json');
    assert.deepEqual(Object.keys(comment).sort(), Object.keys(sample).sort(), 'no user, no changelog');
    assert.deepEqual(Object.keys(comment.issue.fields as object).sort(), Object.keys(sample.issue.fields).sort());
    assert.deepEqual(Object.keys(comment.comment!).sort(), Object.keys(sample.comment).sort());
    assert.deepEqual(Object.keys(comment.issue).sort(), Object.keys(sample.issue).sort());
    assert.equal(comment.comment!.body, 'Ship *today*\n\n* one', 'wiki markup, not ADF');
    assert.match(String(comment.issue.self), /\/rest\/api\/2\/issue\/\d+$/);
    assert.match(String((comment.comment!.author as { self: string }).self), /\/rest\/api\/2\/user\?accountId=/);

    const commented = byEvent(all, 'issue_commented');
    assert.equal(typeof (commented.issue.fields as { description: unknown }).description, 'string', 'descriptions are wiki markup too');

    const assigned = byEvent(all, 'issue_assigned');
    assert.deepEqual(assigned.changelog!.items, [], 'issue_assigned can arrive with an empty changelog');
    assert.equal((assigned.issue.fields as { assignee: { displayName: string } }).assignee.displayName, 'Erin Tester');

    const ranked = byEvent(all, 'issue_generic');
    const rankSample = recorded('webhook-issue-updated-rank.json').changelog.items[0];
    assert.deepEqual(
      ranked.changelog!.items.map((i) => [i.field, i.fieldtype, i.fieldId]),
      [[rankSample.field, rankSample.fieldtype, rankSample.fieldId]],
    );
  });

  it('names the sprint field by display name in changelogs when asked', async () => {
    await simControl(sim, 'POST', '/realism', { displayNameFieldIds: true });
    await simClient(sim).post('/rest/agile/1.0/sprint/4/issue', { issues: ['PHX-4'] });
    const [moved] = await payloads(1);
    const sample = recorded('webhook-issue-updated-sprint.json').changelog.items[0];
    assert.deepEqual(
      moved.changelog!.items.map((i) => [i.field, i.fieldId]),
      [[sample.field, sample.fieldId]],
    );
  });
});
