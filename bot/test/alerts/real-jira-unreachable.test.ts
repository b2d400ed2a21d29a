import assert from 'node:assert/strict';
import { issueKeys, startAlertStack, type AlertStack } from './start-alert-stack';

const FAULTS = 1_000_000;
const shows = (texts: readonly string[], key: string) => texts.some((text) => new RegExp(`${key.replace('-', '\\\\?-')}\\b`).test(text));

/**
 * Issue #17 defect 6: while Jira cannot be read, one JQL subscription that only Jira can evaluate
 * must not hold back the alerts of the other subscriptions on the site; its own alerts wait and
 * arrive once Jira answers again.
 */
describe('alerts while Jira cannot be read (assembled service)', () => {
  let stack: AlertStack;

  before(async () => {
    stack = await startAlertStack({ realism: {}, events: ['jira:issue_created', 'jira:issue_updated'] });
    await stack.subscribe({ projects: 'KAN', events: 'created' });
    // Not in the subset the bot evaluates itself: only Jira can say whether an issue matches. New
    // issues are candidates for both subscriptions, so each of their alerts meets this JQL.
    await stack.subscribe({ projects: 'KAN', events: 'created,transitioned,resolved', jql: 'statusCategory = Done' });
  });
  after(() => stack?.close());

  it('delivers plain alerts while JQL matching waits for Jira, and the JQL alert once Jira is back', async () => {
    const [kanKey] = await issueKeys(stack, 'project = KAN AND statusCategory != Done ORDER BY key ASC');
    const { transitions } = (await stack.jira('alice', 'GET', `/rest/api/3/issue/${kanKey}/transitions`)) as {
      transitions: Array<{ id: string; to: { statusCategory: { key: string } } }>;
    };
    const toDone = transitions.find((t) => t.to.statusCategory.key === 'done')!;
    stack.connector.clear();

    // From here every read the bot makes (searches, issue reads) fails with 503; the test itself only writes.
    stack.sim.faults.add({ status: 503, count: FAULTS, method: 'GET' });
    stack.sim.faults.add({ status: 503, count: FAULTS, method: 'POST', pathPrefix: '/rest/api/3/search' });
    await stack.jira('alice', 'POST', `/rest/api/3/issue/${kanKey}/transitions`, { transition: { id: toDone.id } });
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const issue = (await stack.jira('alice', 'POST', '/rest/api/3/issue', {
        fields: { project: { key: 'KAN' }, issuetype: { id: '10002' }, summary: `Made while Jira is down ${i}` },
      })) as { key: string };
      created.push(issue.key);
    }

    // Before the fix none of these came while the JQL subscription's search kept failing: each
    // batch of the site's events was left for the next sweep, whole.
    await stack.connector.waitFor(() => created.every((key) => shows(stack.channelCards(), key)), { timeoutMs: 20_000 });
    const failedReads = 2 * FAULTS - stack.sim.faults.pending().reduce((sum, plan) => sum + plan.count, 0);
    assert.ok(failedReads > 0, 'the bot did ask Jira about the JQL subscription, and was refused');
    assert.ok(!shows(stack.channelCards(), kanKey), 'Jira could not say the issue matches: its alert waits');

    stack.sim.faults.clear();
    // Nothing lost: the waiting alert arrives once Jira answers.
    await stack.connector.waitFor(() => shows(stack.channelCards(), kanKey), { timeoutMs: 30_000 });
  });
});
