import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { simClient, type SimClient } from './support/sim-client';

describe('jira-sim enhanced search (/rest/api/3/search/jql)', () => {
  let sim: JiraSim;
  let alice: SimClient;
  before(async () => {
    sim = await startJiraSim();
    alice = simClient(sim);
  });
  after(() => sim.close());

  it('pages through every match with nextPageToken, without gaps or repeats', async () => {
    const expected = sim.state.site.issues.filter((i) => i.key.startsWith('PHX-')).length;
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await alice.post('/rest/api/3/search/jql', {
        jql: 'project = PHX ORDER BY key ASC',
        maxResults: 25,
        fields: ['summary'],
        ...(token ? { nextPageToken: token } : {}),
      });
      assert.equal(res.status, 200);
      keys.push(...res.body.issues.map((i: { key: string }) => i.key));
      token = res.body.nextPageToken;
      assert.equal(res.body.isLast, token === undefined);
      pages += 1;
    } while (token);
    assert.equal(pages, Math.ceil(expected / 25));
    assert.equal(keys.length, expected);
    assert.equal(new Set(keys).size, expected);
    assert.deepEqual(keys.slice(0, 3), ['PHX-1', 'PHX-2', 'PHX-3']);
  });

  it('returns only ids by default, and the fields and changelog asked for', async () => {
    const bare = await alice.get('/rest/api/3/search/jql?jql=key%20%3D%20PHX-5');
    assert.deepEqual(Object.keys(bare.body.issues[0].fields), []);
    const rich = await alice.get('/rest/api/3/search/jql?jql=key%20%3D%20PHX-5&fields=summary,-description,status&expand=changelog');
    assert.deepEqual(Object.keys(rich.body.issues[0].fields).sort(), ['status', 'summary']);
    assert.equal(rich.body.issues[0].changelog.total, sim.state.issue('PHX-5')!.changelog.length);
  });

  it('answers invalid JQL, an unbounded query and a foreign page token with 400', async () => {
    const bad = await alice.get('/rest/api/3/search/jql?jql=assignee%20%3D%3D%20x');
    assert.equal(bad.status, 400);
    assert.ok(bad.body.errorMessages.length > 0);
    const unbounded = await alice.get('/rest/api/3/search/jql?jql=ORDER%20BY%20rank');
    assert.equal(unbounded.status, 400);
    assert.match(unbounded.body.errorMessages[0], /Unbounded JQL/);
    const first = await alice.post('/rest/api/3/search/jql', { jql: 'project = PHX', maxResults: 1 });
    const reused = await alice.post('/rest/api/3/search/jql', { jql: 'project = KAN', nextPageToken: first.body.nextPageToken });
    assert.equal(reused.status, 400);
  });

  it('matches JQL against live state: currentUser(), status, sprints, text', async () => {
    const bob = simClient(sim, { email: 'bob@example.com' });
    const mine = await bob.get('/rest/api/3/search/jql?jql=assignee%20%3D%20currentUser()&maxResults=500&fields=assignee');
    const bobId = sim.state.userByEmail('bob@example.com')!.accountId;
    const expected = sim.state.site.issues.filter((i) => i.values.assignee === bobId && i.projectId !== '10002').length;
    assert.equal(mine.body.issues.length, expected);
    const sprint = await alice.post('/rest/api/3/search/jql', { jql: 'sprint in openSprints() AND statusCategory != Done', maxResults: 500 });
    // openSprints() is the started, not completed sprints: the active one, not the future one.
    const openSprintIssues = sim.state.site.issues.filter(
      (i) => ((i.values.customfield_10020 as number[] | undefined) ?? []).includes(3) && sim.state.status(i.statusId).categoryId !== 3,
    );
    assert.equal(sprint.body.issues.length, openSprintIssues.length);
    const subtask = sim.state.site.issues.find((i) => i.issueTypeId === '10004')!;
    const parentKey = sim.state.issue(String(subtask.values.parent))!.key;
    const children = await alice.post('/rest/api/3/search/jql', { jql: `parent = ${parentKey} AND issuetype = 10004`, maxResults: 50 });
    assert.ok(children.body.issues.some((i: { id: string }) => i.id === subtask.id));
    const unresolvedDue = await alice.post('/rest/api/3/search/jql', { jql: 'project = SUP AND resolution = Unresolved AND duedate >= "2026-01-01"', maxResults: 100 });
    const expectedDue = sim.state.site.issues.filter(
      (i) => i.projectId === '10002' && !i.values.resolution && typeof i.values.duedate === 'string' && i.values.duedate >= '2026-01-01',
    );
    assert.ok(expectedDue.length > 0);
    assert.equal(unresolvedDue.body.issues.length, expectedDue.length);
    await alice.put('/rest/api/3/issue/KAN-7', { fields: { summary: 'Zebra crossing widget' } });
    const text = await alice.get('/rest/api/3/search/jql?jql=summary%20~%20zebra&fields=summary');
    assert.deepEqual(
      text.body.issues.map((i: { key: string }) => i.key),
      ['KAN-7'],
    );
  });
});
