import assert from 'node:assert/strict';
import { AlertError } from '../../src/alerts/alert-error';
import type { SubscriptionActor } from '../../src/alerts/subscription-service';
import { jiraKeySearch } from '../../src/wiring/jira-key-search';
import { useSimSubscriptions } from './sim-subscription-service';

const actor: SubscriptionActor = { tenantId: 't', conversationId: '19:channel@thread.tacv2', conversationType: 'channel', userId: '29:bob', aadObjectId: 'b0b' };
const BOB = { email: 'bob@example.com', apiToken: 'sim-token-bob' };

/**
 * Issue #17: JQL that Jira accepts but the simulator used to refuse (`assignee was currentUser()`,
 * CHANGED) made the subscribe dialog turn valid filters away. The bot has no JQL grammar of its
 * own for saving: it asks Jira (`jql/parse?validation=strict`) as the person saving, and the matcher
 * asks Jira's search. Both through the simulator here, with history it evaluates from changelogs.
 */
describe('subscriptions filtered by JQL history operators', () => {
  const given = useSimSubscriptions(BOB);
  const service = () => given.service();

  /** Jira's REST API as Bob, for changes the test makes to the site. */
  async function asBob(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${given.sim.url}${path}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${BOB.email}:${BOB.apiToken}`).toString('base64')}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path} answered ${res.status}`);
    return res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>);
  }

  it('saves filters with WAS and CHANGED, and refuses a misspelt one in Jira’s words', async () => {
    const subscriptions = service();
    for (const jql of ['assignee was currentUser()', 'status changed to "In Progress" after -7d', 'assignee was in (currentUser()) AND status CHANGED']) {
      const saved = await subscriptions.save(actor, { site: given.sim.url, projects: 'PHX', events: 'assigned,transitioned', jql });
      assert.equal(saved.jql, jql);
    }
    assert.equal((await subscriptions.list(actor.conversationId)).length, 3);
    await assert.rejects(
      subscriptions.save(actor, { site: given.sim.url, projects: 'PHX', events: 'assigned,transitioned', jql: 'assignee wass currentUser()' }),
      (error: AlertError) => {
        assert.ok(error instanceof AlertError);
        assert.match(error.message, /wass/);
        return true;
      },
    );
    assert.equal((await subscriptions.list(actor.conversationId)).length, 3);
  });

  it('matches an alert by `assignee was currentUser()` after the issue moved on to someone else', async () => {
    const me = (await asBob('GET', '/rest/api/3/myself')).accountId as string;
    const users = (await asBob('GET', '/rest/api/3/user/search?query=erin')) as unknown as Array<{ accountId: string }>;
    const create = async (summary: string) =>
      (await asBob('POST', '/rest/api/3/issue', { fields: { project: { key: 'PHX' }, issuetype: { name: 'Task' }, summary, assignee: { id: me } } })).key as string;
    const handedOn = await create('Was mine, handed to Erin');
    const stillMine = await create('Still mine');
    await asBob('PUT', `/rest/api/3/issue/${handedOn}/assignee`, { accountId: users[0].accountId });
    // Jira counts the current assignee as one the issue "was" assigned to; the third never was Bob's.
    const other = (await asBob('POST', '/rest/api/3/issue', { fields: { project: { key: 'PHX' }, issuetype: { name: 'Task' }, summary: 'Never Bob’s' } })).key as string;
    const search = jiraKeySearch({ backgroundJira: async () => ({ jira: given.jira }) as never });
    const matched = await search.keysMatching(given.sim.url, [handedOn, stillMine, other], 'assignee was currentUser()');
    assert.deepEqual([...matched].sort(), [handedOn, stillMine].sort());
    assert.deepEqual([...(await search.keysMatching(given.sim.url, [handedOn, stillMine, other], 'assignee = currentUser()'))], [stillMine]);
  });
});
