import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../../src/start-jira-sim';
import { adfText, simClient, simControl, type SimClient } from '../support/sim-client';

/** JQL that Jira Cloud accepts and the simulator used to refuse: history operators, functions, fields. */
describe('jira-sim JQL: history operators, functions and fields Jira accepts', () => {
  let sim: JiraSim;
  let bob: SimClient;
  let key: string;
  before(async () => {
    sim = await startJiraSim();
  });
  after(() => sim.close());
  beforeEach(async () => {
    await simControl(sim, 'POST', '/reset');
    bob = simClient(sim, { email: 'bob@example.com' });
    const created = await bob.post('/rest/api/3/issue', {
      fields: { project: { key: 'PHX' }, issuetype: { name: 'Task' }, summary: 'History subject', assignee: { id: id('bob@example.com') } },
    });
    assert.equal(created.status, 201);
    key = created.body.key;
  });

  const id = (email: string) => sim.state.userByEmail(email)!.accountId;
  async function keys(client: SimClient, jql: string): Promise<string[]> {
    const res = await client.post('/rest/api/3/search/jql', { jql: `project = PHX AND (${jql})`, fields: ['key'], maxResults: 500 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.issues.map((i: { key: string }) => i.key);
  }
  async function transition(name: string) {
    const list = (await bob.get(`/rest/api/3/issue/${key}/transitions`)).body.transitions as Array<{ id: string; name: string }>;
    const chosen = list.find((t) => t.name === name) ?? assert.fail(`no transition ${name}`);
    assert.equal((await bob.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: chosen.id } })).status, 204);
  }

  it('accepts `assignee was currentUser()` and answers it from the changelog', async () => {
    await bob.put(`/rest/api/3/issue/${key}/assignee`, { accountId: id('erin@example.com') });
    assert.ok((await keys(bob, 'assignee was currentUser()')).includes(key));
    assert.ok(!(await keys(bob, 'assignee = currentUser()')).includes(key));
    assert.ok((await keys(bob, `assignee was in ("Erin Tester", currentUser()) AND key = ${key}`)).includes(key));
    assert.deepEqual(await keys(bob, `assignee was not currentUser() AND key = ${key}`), []);
  });

  it('evaluates CHANGED with FROM, TO, BY and dates', async () => {
    await transition('Start progress');
    assert.deepEqual(await keys(bob, `key = ${key} AND status changed FROM "To Do" TO "In Progress" BY currentUser() AFTER -1d`), [key]);
    assert.deepEqual(await keys(bob, `key = ${key} AND status changed BY "Erin Tester"`), []);
    assert.deepEqual(await keys(bob, `key = ${key} AND status changed BEFORE -1d`), []);
    assert.deepEqual(await keys(bob, `key = ${key} AND priority changed`), []);
    assert.deepEqual(await keys(bob, `key = ${key} AND status was "To Do" DURING (-1d, now())`), [key]);
    assert.deepEqual(await keys(bob, `key = ${key} AND NOT status was "Done"`), [key]);
  });

  it('evaluates watchedIssues() and updatedBy() from watchers, changes and comments', async () => {
    assert.ok(!(await keys(bob, `key in updatedBy("${id('erin@example.com')}")`)).includes(key));
    await simClient(sim, { email: 'erin@example.com' }).post(`/rest/api/3/issue/${key}/comment`, { body: adfText('Erin was here') });
    assert.ok((await keys(bob, `key in updatedBy("${id('erin@example.com')}")`)).includes(key));
    assert.ok((await keys(bob, `issue in updatedBy("Erin Tester", "-1d")`)).includes(key));
    const carol = simClient(sim, { email: 'carol@example.com' });
    assert.ok(!(await keys(carol, 'issue in watchedIssues()')).includes(key));
    assert.equal((await carol.post(`/rest/api/3/issue/${key}/watchers`, id('carol@example.com'))).status, 204);
    assert.ok((await keys(carol, 'issue in watchedIssues()')).includes(key));
  });

  it('knows fixVersion and component, which this site has no values for', async () => {
    assert.ok((await keys(bob, 'fixVersion is EMPTY AND component is EMPTY')).includes(key));
    const res = await bob.post('/rest/api/3/search/jql', { jql: 'fixVersion = "1.0"' }, { conform: false });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errorMessages, ["The value '1.0' does not exist for the field 'fixVersion'."]);
  });

  it('answers a valid function the simulator cannot evaluate with a distinct 501, never "invalid JQL"', async () => {
    const res = await bob.post('/rest/api/3/search/jql', { jql: 'assignee in membersOf("jira-software-users")' }, { conform: false });
    assert.equal(res.status, 501);
    assert.match(res.body.errorMessages[0], /jira-sim does not evaluate the JQL function 'membersOf\(\)'/);
    const parsed = await bob.post('/rest/api/3/jql/parse', { queries: ['assignee in membersOf("jira-software-users")', 'issue in linkedIssues(PHX-1)'] });
    assert.deepEqual(
      parsed.body.queries.map((q: { errors?: string[] }) => q.errors),
      [undefined, undefined],
      'valid JQL parses without errors',
    );
  });

  it('still refuses what Jira refuses', async () => {
    const summary = await bob.post('/rest/api/3/search/jql', { jql: 'summary was x' }, { conform: false });
    assert.equal(summary.status, 400);
    assert.deepEqual(summary.body.errorMessages, ["The operator 'was' is not supported by the 'summary' field."]);
    const from = await bob.post('/rest/api/3/search/jql', { jql: 'status was Done FROM "To Do"' }, { conform: false });
    assert.equal(from.status, 400);
  });
});

describe('jira-sim JQL: custom fields by name and cf[N]', () => {
  let sim: JiraSim;
  before(async () => {
    sim = await startJiraSim();
  });
  after(() => sim.close());

  it('matches custom fields named either way, with the operators their kind takes', async () => {
    const alice = simClient(sim);
    const erin = sim.state.userByEmail('erin@example.com')!.accountId;
    const edit = await alice.put('/rest/api/3/issue/PHX-5', {
      fields: {
        customfield_10033: [{ value: 'Desktop' }],
        customfield_10035: { accountId: erin },
        customfield_10015: '2031-03-04',
      },
    });
    assert.equal(edit.status, 204, JSON.stringify(edit.body));
    const keys = async (jql: string) => {
      const res = await alice.post('/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 500 });
      assert.equal(res.status, 200, `${jql}: ${JSON.stringify(res.body)}`);
      return res.body.issues.map((i: { key: string }) => i.key) as string[];
    };
    assert.ok((await keys('Platforms = Desktop AND project = PHX')).includes('PHX-5'));
    assert.ok((await keys('cf[10033] in (Desktop, iOS) AND project = PHX')).includes('PHX-5'));
    assert.deepEqual(await keys('Reviewer = "Erin Tester" AND key = PHX-5'), ['PHX-5']);
    assert.deepEqual(await keys(`cf[10035] = ${erin} AND key = PHX-5`), ['PHX-5']);
    assert.deepEqual(await keys('"Start date" >= "2031-03-01" AND "start date" < 2031-03-05 AND project = PHX'), ['PHX-5']);
    assert.ok(!(await keys('cf[10015] is EMPTY AND project = PHX')).includes('PHX-5'));
    const sorted = await keys('project = PHX AND "Start date" is not EMPTY ORDER BY "Start date" DESC');
    assert.equal(sorted[0], 'PHX-5', 'the latest start date first');
    const bad = await alice.post('/rest/api/3/search/jql', { jql: '"Start date" ~ soon' }, { conform: false });
    assert.deepEqual(bad.body.errorMessages, ["The operator '~' is not supported by the 'Start date' field."]);
    const unknown = await alice.post('/rest/api/3/search/jql', { jql: 'cf[99999] = 1' }, { conform: false });
    assert.deepEqual(unknown.body.errorMessages, ["Field 'cf[99999]' does not exist or you do not have permission to view it."]);
  });
});
