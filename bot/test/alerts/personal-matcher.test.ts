import assert from 'node:assert/strict';
import type { AlertRoute, AlertTarget } from '../../src/alerts/alert-outbox';
import { mentionedAccounts } from '../../src/alerts/mentioned-accounts';
import { normalizeJiraWebhook } from '../../src/alerts/normalize-jira-webhook';
import { combinedMatcher, personalMatcher, type PersonalRecipients } from '../../src/alerts/personal-matcher';
import { personalPreferenceRepository, type PersonalPreferenceRepository } from '../../src/alerts/personal-preferences';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';
import { issueEvent } from './issue-event-builder';
import { webhookFixture } from './webhook-fixture';

const SITE = 'https://acme.atlassian.net';
const chat = (name: string): AlertTarget => ({ tenantId: 't', conversationId: `a:${name}` });

describe('personal notifications', () => {
  let store: Store;
  let preferences: PersonalPreferenceRepository;
  const recipients: PersonalRecipients = {
    async forAccounts(_site, accountIds) {
      return new Map(accountIds.filter((id) => id !== 'stranger').map((id) => [id, [{ userKey: `t|${id}`, owner: { tenantId: 't', userId: id }, target: chat(id) }]]));
    },
  };
  const watchers = { watchers: async () => ['watcher', 'actor'] };
  /** Everyone may see every issue here, but `hidden` sees nothing (as Jira's 404 to them). */
  const visibility = { canSee: async (_site: string, owner: { userId: string }) => owner.userId !== 'hidden' };
  const chats = (routes: Map<string, AlertRoute[]>, id: string) => (routes.get(id) ?? []).map((r) => `${r.target.conversationId} ${r.subscriptionIds.join(',')}`).sort();

  beforeEach(() => {
    store = openTestStore();
    preferences = personalPreferenceRepository(store);
  });
  afterEach(async () => store.close());

  it('finds mentions in ADF and in wiki markup', () => {
    assert.deepEqual(mentionedAccounts({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'mention', attrs: { id: 'acc-1', text: '@A' } }] }] }), ['acc-1']);
    assert.deepEqual(mentionedAccounts('Hi [~accountid:5c5f88] and [~accountid:77aa]'), ['5c5f88', '77aa']);
    const payload = JSON.parse(webhookFixture('comment_created'));
    payload.comment.body = 'Ping [~accountid:acc-9]';
    assert.deepEqual(normalizeJiraWebhook(payload, SITE)?.mentions, ['acc-9']);
    const update = JSON.parse(webhookFixture('jira-issue_updated.changelog-status'));
    update.changelog.items = [{ field: 'description', fieldId: 'description', fromString: 'see [~accountid:old]', toString: 'see [~accountid:old] and [~accountid:new]' }];
    assert.deepEqual(normalizeJiraWebhook(update, SITE)?.mentions, ['new'], 'only newly mentioned people');
  });

  it('tells the assignee, the mentioned, the reporter of a commented issue and watchers, never the actor', async () => {
    await preferences.save('t|watcher', { assigned: true, mentioned: true, watching: true, reported: true });
    const actor = { accountId: 'actor', displayName: 'Actor' };
    const assigned = issueEvent({ kinds: ['assigned'], actor });
    assigned.issue.assignee = { accountId: 'bob', displayName: 'Bob' };
    const comment = issueEvent({ kinds: ['commented'], changes: [], comment: { id: '1', excerpt: 'hi' }, mentions: ['carol', 'actor', 'stranger'], actor });
    comment.issue.reporter = { accountId: 'dave', displayName: 'Dave' };
    const selfAssigned = issueEvent({ kinds: ['assigned'], actor });
    selfAssigned.issue.assignee = { accountId: 'actor', displayName: 'Actor' };

    const routes = await personalMatcher({ recipients, preferences, watchers, visibility }).targets(SITE, [assigned, comment, selfAssigned]);
    assert.deepEqual(chats(routes, assigned.id), ['a:bob personal:assigned', 'a:watcher personal:watching']);
    assert.deepEqual(chats(routes, comment.id), ['a:carol personal:mentioned', 'a:dave personal:reported', 'a:watcher personal:watching']);
    assert.deepEqual(chats(routes, selfAssigned.id), ['a:watcher personal:watching']);
  });

  it('respects each switch (watching is off unless chosen)', async () => {
    await preferences.save('t|bob', { assigned: false, mentioned: true, watching: false, reported: true });
    const event = issueEvent({ kinds: ['assigned'] });
    event.issue.assignee = { accountId: 'bob', displayName: 'Bob' };
    const routes = await personalMatcher({ recipients, preferences, watchers, visibility }).targets(SITE, [event]);
    assert.deepEqual(chats(routes, event.id), []);
  });

  it('routes nothing to a recipient who may not see the issue, asking once per person and issue', async () => {
    const asked: string[] = [];
    const counting = { canSee: async (site: string, owner: { userId: string }, key: string) => (asked.push(`${owner.userId} ${key}`), visibility.canSee(site, owner)) };
    const first = issueEvent({ kinds: ['commented'], changes: [], comment: { id: '1', excerpt: 'secret' }, mentions: ['hidden', 'carol'] });
    const second = issueEvent({ kinds: ['commented'], changes: [], comment: { id: '2', excerpt: 'more' }, mentions: ['hidden'] });
    second.issue.key = first.issue.key;
    const failing = { canSee: async () => Promise.reject(new Error('Jira down')) };

    const routes = await personalMatcher({ recipients, preferences, visibility: counting }).targets(SITE, [first, second]);
    assert.deepEqual(chats(routes, first.id), ['a:carol personal:mentioned']);
    assert.equal(routes.has(second.id), false);
    assert.deepEqual(asked.sort(), [`carol ${first.issue.key}`, `hidden ${first.issue.key}`]);
    assert.equal((await personalMatcher({ recipients, preferences, visibility: failing }).targets(SITE, [first])).size, 0, 'no answer is a no');
    // Where the router can wait, no answer is "ask again later", not a no.
    const undecided = new Set<string>();
    assert.equal((await personalMatcher({ recipients, preferences, visibility: failing }).targets(SITE, [first], { undecided })).size, 0);
    assert.deepEqual([...undecided], [first.id]);
  });

  it('merges channel and personal routes into one per conversation', async () => {
    const event = issueEvent();
    const a = { targets: async () => new Map([[event.id, [{ target: chat('x'), subscriptionIds: ['s1'] }]]]) };
    const b = {
      targets: async () =>
        new Map([
          [
            event.id,
            [
              { target: chat('x'), subscriptionIds: ['personal:assigned'], threaded: true },
              { target: chat('y'), subscriptionIds: ['s2'] },
            ],
          ],
        ]),
    };
    const routes = await combinedMatcher([a, b]).targets(SITE, [event]);
    assert.deepEqual(routes.get(event.id), [
      { target: chat('x'), subscriptionIds: ['s1', 'personal:assigned'], threaded: true },
      { target: chat('y'), subscriptionIds: ['s2'] },
    ]);
  });
});
