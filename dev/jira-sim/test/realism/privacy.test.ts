import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import { simClient, simControl } from '../support/sim-client';

describe('jira-sim realism: user privacy', () => {
  let sim: JiraSim;
  beforeEach(async () => {
    sim = await startJiraSim();
  });
  afterEach(() => sim.close());

  const id = (email: string) => sim.state.userByEmail(email)!.accountId;

  it('shows every email and full name by default', async () => {
    const bob = await simClient(sim, { email: 'alice@example.com' }).get(`/rest/api/3/user?accountId=${id('bob@example.com')}`);
    assert.equal(bob.body.emailAddress, 'bob@example.com');
    const dave = await simClient(sim).get(`/rest/api/3/user?accountId=${id('dave@example.com')}`);
    assert.equal(dave.body.displayName, 'Dave Developer');
  });

  it('with privacy on, hides emails and full names as each profile says, everywhere users appear', async () => {
    await simControl(sim, 'POST', '/realism', { privacy: true });
    const alice = simClient(sim);
    const bob = await alice.get(`/rest/api/3/user?accountId=${id('bob@example.com')}`);
    assert.equal(bob.status, 200);
    assert.equal('emailAddress' in bob.body, false, 'Bob hides his email');
    assert.equal(bob.body.displayName, 'Bob Builder');
    const carol = await alice.get(`/rest/api/3/user?accountId=${id('carol@example.com')}`);
    assert.equal(carol.body.emailAddress, 'carol@example.com', 'Carol shows hers');
    const dave = await alice.get(`/rest/api/3/user?accountId=${id('dave@example.com')}`);
    assert.equal(dave.body.displayName, 'dave.d', 'an alternative value for a hidden full name');

    // PHX-4 is assigned to Dave in the seed.
    const issue = await alice.get('/rest/api/3/issue/PHX-4?fields=assignee,reporter');
    assert.equal(issue.body.fields.assignee.displayName, 'dave.d');
    assert.equal('emailAddress' in issue.body.fields.assignee, false);

    const self = await simClient(sim, { email: 'bob@example.com' }).get('/rest/api/3/myself');
    assert.equal(self.body.emailAddress, 'bob@example.com', 'people see their own email');
  });
});
