import assert from 'node:assert/strict';
import { AlertError } from '../../src/alerts/alert-error';
import { pollJql } from '../../src/alerts/site-poller';
import type { Subscription } from '../../src/alerts/subscription';
import type { SubscriptionActor } from '../../src/alerts/subscription-service';
import { jiraSiteSearch } from '../../src/wiring/jira-site-search';
import { useSimSubscriptions } from '../alerts/sim-subscription-service';

const actor: SubscriptionActor = { tenantId: 't', conversationId: '19:channel@thread.tacv2', conversationType: 'channel', userId: '29:alice', aadObjectId: 'a11ce' };

/**
 * Issue #17 defect 5, against the simulator: a subscription naming a project Jira does not know is
 * refused when saved, with Jira's own message; and when one gets stored anyway (the project is
 * deleted later, or the polling user cannot see it), the site's one poll still serves the others.
 */
describe('subscriptions with project keys Jira does not know', () => {
  const given = useSimSubscriptions();
  const service = () => given.service();

  it("refuses an unknown key when saving, in Jira's words, and saves known ones", async () => {
    const subscriptions = service();
    await assert.rejects(subscriptions.save(actor, { site: given.sim.url, projects: 'PHX, NOPE', events: 'created' }), (error: AlertError) => {
      assert.ok(error instanceof AlertError);
      assert.match(error.message, /The value 'NOPE' does not exist for the field 'project'\./);
      return true;
    });
    assert.deepEqual(await subscriptions.list(actor.conversationId), []);
    const saved = await subscriptions.save(actor, { site: given.sim.url, projects: 'phx', events: 'created' });
    assert.deepEqual(saved.projects, ['PHX']);
  });

  it("polls the site's other projects when one subscription names a project that is gone", async () => {
    const subscription = (projects: string[]) => ({ projects }) as Subscription;
    const now = Date.now();
    const jql = pollJql([subscription(['PHX']), subscription(['GONE']), subscription(['KAN'])], now - 10 * 365 * 24 * 3600_000, now);
    const search = jiraSiteSearch({ backgroundJira: async () => ({ jira: given.jira }) as never });
    const issues = (await search.search(given.sim.url, jql)) as Array<{ key: string }>;
    const projects = new Set(issues.map((issue) => issue.key.split('-')[0]));
    assert.deepEqual([...projects].sort(), ['KAN', 'PHX']);
    // Only a list of projects is split: a site whose every project is gone polls nothing, without failing.
    assert.deepEqual(await search.search(given.sim.url, pollJql([subscription(['GONE'])], now - 60_000, now)), []);
  });
});
