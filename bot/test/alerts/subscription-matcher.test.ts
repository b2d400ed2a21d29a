import assert from 'node:assert/strict';
import { subscriptionMatcher, batchedKeyJql, type JqlKeySearch } from '../../src/alerts/subscription-matcher';
import type { Subscription } from '../../src/alerts/subscription';
import { JiraErrorCode } from '../../src/jira/jira-error';
import { createLogger } from '../../src/log/create-logger';
import { issueEvent } from './issue-event-builder';
import { subscription } from './subscription-builder';

const SITE = 'https://acme.atlassian.net';

describe('subscriptionMatcher', () => {
  const searches: Array<{ keys: readonly string[]; jql: string }> = [];
  let hits: Set<string>;
  let failWith: Error | undefined;
  const search: JqlKeySearch = {
    async keysMatching(_site, keys, jql) {
      searches.push({ keys, jql });
      if (failWith) throw failWith;
      return new Set(keys.filter((k) => hits.has(k)));
    },
  };
  const matcher = (subs: Subscription[]) =>
    subscriptionMatcher({ subscriptions: { forSite: async (site) => subs.filter((s) => s.site === site) }, search, logger: createLogger({ level: 'silent' }) });
  const conversations = (targets: Awaited<ReturnType<ReturnType<typeof matcher>['targets']>>, eventId: string) =>
    (targets.get(eventId) ?? []).map((t) => t.target.conversationId).sort();

  beforeEach(() => {
    searches.length = 0;
    hits = new Set();
    failWith = undefined;
  });

  it('filters by project, event type, chosen statuses and fields, and skips muted ones', async () => {
    const transition = issueEvent({ changes: [{ field: 'status', fieldId: 'status', from: 'To Do', to: 'Done' }] });
    const subs = [
      subscription({ target: { tenantId: 't', conversationId: 'all' } }),
      subscription({ target: { tenantId: 't', conversationId: 'other-project' }, projects: ['OPS'] }),
      subscription({ target: { tenantId: 't', conversationId: 'only-comments' }, eventKinds: ['commented'] }),
      subscription({ target: { tenantId: 't', conversationId: 'to-done' }, eventKinds: ['transitioned'], statuses: ['done'] }),
      subscription({ target: { tenantId: 't', conversationId: 'to-review' }, eventKinds: ['transitioned'], statuses: ['In Review'] }),
      subscription({ target: { tenantId: 't', conversationId: 'muted' }, muted: true }),
      subscription({ target: { tenantId: 't', conversationId: 'other-site' }, site: 'https://other.atlassian.net' }),
    ];
    const field = issueEvent({ kinds: ['fieldChanged'], changes: [{ field: 'Story Points', fieldId: 'customfield_10016', from: '3', to: '5' }] });
    const fieldSubs = [
      subscription({ target: { tenantId: 't', conversationId: 'points' }, eventKinds: ['fieldChanged'], fields: ['customfield_10016'] }),
      subscription({ target: { tenantId: 't', conversationId: 'summary' }, eventKinds: ['fieldChanged'], fields: ['summary'] }),
    ];
    const targets = await matcher([...subs, ...fieldSubs]).targets(SITE, [transition, field]);
    assert.deepEqual(conversations(targets, transition.id), ['all', 'to-done']);
    assert.deepEqual(conversations(targets, field.id), ['all', 'points']);
    assert.equal(searches.length, 0);
  });

  it('evaluates simple JQL locally and asks Jira once per other JQL for the whole batch', async () => {
    const events = [issueEvent({ key: 'ALERT-1' }), issueEvent({ key: 'ALERT-2' }), issueEvent({ key: 'ALERT-3' })];
    events[1].issue.priority = 'Low';
    const complex = 'project = ALERT AND sprint in openSprints()';
    hits = new Set(['ALERT-3']);
    const subs = [
      subscription({ target: { tenantId: 't', conversationId: 'high' }, jql: 'priority in (High, Highest)' }),
      subscription({ target: { tenantId: 't', conversationId: 'sprint' }, jql: complex }),
      subscription({ target: { tenantId: 't', conversationId: 'sprint-too' }, jql: complex }),
    ];
    const targets = await matcher(subs).targets(SITE, events);
    assert.deepEqual(conversations(targets, events[0].id), ['high']);
    assert.deepEqual(conversations(targets, events[1].id), []);
    assert.deepEqual(conversations(targets, events[2].id), ['high', 'sprint', 'sprint-too']);
    assert.deepEqual(searches, [{ keys: ['ALERT-1', 'ALERT-2', 'ALERT-3'], jql: complex }]);
    assert.equal(batchedKeyJql(['A-1', 'B-2'], complex), `key in ("A-1", "B-2") AND (${complex})`);
  });

  it('sends an event once to a conversation with several matching subscriptions, threaded if one asks for it', async () => {
    const event = issueEvent();
    const target = { tenantId: 't', conversationId: 'same' };
    const subs = [subscription({ id: 'a', target }), subscription({ id: 'b', target, eventKinds: ['transitioned'], twoWayThreads: true })];
    const targets = await matcher(subs).targets(SITE, [event]);
    assert.deepEqual(targets.get(event.id), [{ target, subscriptionIds: ['a', 'b'], threaded: true }]);
  });

  it('skips a subscription whose JQL Jira now rejects, and rethrows when Jira is down so the batch is retried', async () => {
    const event = issueEvent();
    const subs = [subscription({ target: { tenantId: 't', conversationId: 'jql' }, jql: 'filter = 123' }), subscription({ target: { tenantId: 't', conversationId: 'plain' } })];
    failWith = Object.assign(new Error('bad jql'), { code: JiraErrorCode.BadRequest });
    assert.deepEqual(conversations(await matcher(subs).targets(SITE, [event]), event.id), ['plain']);
    failWith = Object.assign(new Error('down'), { code: JiraErrorCode.Unavailable });
    await assert.rejects(matcher(subs).targets(SITE, [event]), /down/);
  });
});
