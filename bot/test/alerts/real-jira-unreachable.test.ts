import assert from 'node:assert/strict';
import { issueKeys, startAlertStack, type AlertStack } from './start-alert-stack';

const BOB_ACCOUNT_ID = '712020:00000000-0000-4000-8000-000000000002';

const FAULTS = 1_000_000;

/** Resolves once `check` holds (looked at every 50 ms), failing after 20 s. */
async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const shows = (texts: readonly string[], key: string) => texts.some((text) => new RegExp(`${key.replace('-', '\\\\?-')}\\b`).test(text));

/**
 * Issue #17 defect 6: while Jira cannot be read, one JQL subscription that only Jira can evaluate
 * must not hold back the alerts of the other subscriptions on the site; its own alerts wait and
 * arrive once Jira answers again.
 */
describe('alerts while Jira cannot be read (assembled service)', function () {
  // Jira stays down through several of the router's retries (1 s doubling) before it comes back: about 17 s on a quiet machine.
  this.timeout(60_000);
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
    // An issue Bob is not assigned to, that nothing else in this test changes.
    const assignKey = (await issueKeys(stack, 'project = KAN AND assignee is EMPTY ORDER BY key DESC')).find((key) => key !== kanKey)!;
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
    // No subscription wants assignments: only Bob's personal notice does, and it needs Jira (may he see the issue?).
    const failedGets = () => FAULTS - (stack.sim.faults.pending().find((plan) => plan.method === 'GET')?.count ?? FAULTS);
    const getsBefore = failedGets();
    await stack.jira('alice', 'PUT', `/rest/api/3/issue/${assignKey}/assignee`, { accountId: BOB_ACCOUNT_ID });

    // Before the fix none of these came while the JQL subscription's search kept failing: each
    // batch of the site's events was left for the next sweep, whole.
    await stack.connector.waitFor(() => created.every((key) => shows(stack.channelCards(), key)), { timeoutMs: 20_000 });
    const failedReads = 2 * FAULTS - stack.sim.faults.pending().reduce((sum, plan) => sum + plan.count, 0);
    assert.ok(failedReads > 0, 'the bot did ask Jira about the JQL subscription, and was refused');
    assert.ok(!shows(stack.channelCards(), kanKey), 'Jira could not say the issue matches: its alert waits');
    // The bot asked as Bob whether he may see the issue, and was refused as often as it tries one read (5 times).
    await until(() => failedGets() - getsBefore >= 5);
    assert.deepEqual(stack.bobCards(), [], 'nor could Jira say whether Bob may see the issue now his');

    stack.sim.faults.clear();
    // Nothing lost: the waiting alerts arrive once Jira answers.
    await stack.connector.waitFor(() => shows(stack.channelCards(), kanKey) && shows(stack.bobCards(), assignKey), { timeoutMs: 30_000 });
  });
});
