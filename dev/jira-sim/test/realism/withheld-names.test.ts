import assert from 'node:assert/strict';
import { checkConformance } from '../../src/conformance/check-conformance';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import { simClient, simControl } from '../support/sim-client';

/**
 * Nora keeps her name from apps: with realism.privacy Jira gives others `displayName: null` for her,
 * in user lookups, pickers, issue fields and webhooks alike (Atlassian's profile visibility guide).
 */
describe('jira-sim realism: a display name withheld as null', () => {
  let sim: JiraSim;
  before(async () => {
    sim = await startJiraSim();
    await simControl(sim, 'POST', '/realism', { privacy: true });
  });
  after(() => sim.close());

  const nora = () => sim.state.userByEmail('nora@example.com')!.accountId;

  it('answers null for her name everywhere another user sees her, and her own name to her', async () => {
    const alice = simClient(sim);
    const user = await alice.get(`/rest/api/3/user?accountId=${nora()}`);
    assert.equal(user.status, 200);
    assert.equal(user.body.displayName, null);
    assert.equal('emailAddress' in user.body, false);

    const assignable = await alice.get('/rest/api/3/user/assignable/search?project=PHX&query=nora');
    assert.deepEqual(
      assignable.body.map((u: { accountId: string; displayName: unknown }) => [u.accountId, u.displayName]),
      [[nora(), null]],
      'she may be assigned PHX issues, and is found by her name though it is not shown',
    );

    assert.equal((await alice.put('/rest/api/3/issue/PHX-7/assignee', { accountId: nora() })).status, 204);
    const issue = await alice.get('/rest/api/3/issue/PHX-7?fields=assignee');
    assert.deepEqual({ accountId: issue.body.fields.assignee.accountId, displayName: issue.body.fields.assignee.displayName }, { accountId: nora(), displayName: null });

    const self = await simClient(sim, { email: 'nora@example.com' }).get('/rest/api/3/myself');
    assert.equal(self.body.displayName, 'Nora Private', 'people see their own name');
  });

  it('shows her name with privacy off, as the default simulator always did', async () => {
    await simControl(sim, 'POST', '/realism', { privacy: false });
    const user = await simClient(sim).get(`/rest/api/3/user?accountId=${nora()}`);
    assert.equal(user.body.displayName, 'Nora Private');
    await simControl(sim, 'POST', '/realism', { privacy: true });
  });

  it('is accepted by the spec check only as null or a string (erratum 7)', () => {
    const user = (displayName: unknown) => ({ accountId: nora(), accountType: 'atlassian', active: true, displayName });
    assert.deepEqual(checkConformance({ method: 'GET', path: '/rest/api/3/user', status: 200, responseBody: user(null) }).errors, []);
    assert.match(checkConformance({ method: 'GET', path: '/rest/api/3/user', status: 200, responseBody: user(7) }).errors.join(), /displayName must be string,null/);
  });
});
