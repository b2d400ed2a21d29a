import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { adfText, simClient, type SimClient } from './support/sim-client';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('jira-sim changes: state, changelog, updated, change events', () => {
  let sim: JiraSim;
  let bob: SimClient;
  let now = T0;

  beforeEach(async () => {
    now = T0;
    sim = await startJiraSim({ now: () => now });
    bob = simClient(sim, { email: 'bob@example.com' });
  });
  afterEach(() => sim.close());

  async function createStory(fields: Record<string, unknown> = {}) {
    const res = await bob.post('/rest/api/3/issue', {
      fields: { project: { key: 'PHX' }, issuetype: { name: 'Story' }, summary: 'Export invoices as CSV', ...fields },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.key as string;
  }

  it('creates an issue with typed custom fields and renders them back as Jira does', async () => {
    const key = await createStory({
      description: adfText('Finance needs this monthly.'),
      customfield_10016: 5,
      customfield_10015: '2026-06-03',
      customfield_10030: '2026-06-10T09:30:00.000+0000',
      customfield_10033: [{ value: 'Web' }, { id: '10111' }],
      customfield_10034: { value: 'Backend', child: { value: 'API' } },
      customfield_10035: { accountId: sim.state.userByEmail('erin@example.com')!.accountId },
      customfield_10020: 3,
      labels: ['billing'],
      priority: { name: 'High' },
    });
    const issue = (await bob.get(`/rest/api/3/issue/${key}`)).body;
    assert.equal(issue.fields.customfield_10016, 5);
    assert.equal(issue.fields.customfield_10015, '2026-06-03');
    assert.equal(issue.fields.customfield_10030, '2026-06-10T09:30:00.000+0000');
    assert.deepEqual(
      issue.fields.customfield_10033.map((o: { value: string }) => o.value),
      ['Web', 'iOS'],
    );
    assert.equal(issue.fields.customfield_10034.value, 'Backend');
    assert.equal(issue.fields.customfield_10034.child.value, 'API');
    assert.equal(issue.fields.customfield_10035.displayName, 'Erin Tester');
    assert.equal(issue.fields.customfield_10020[0].name, 'PHX Sprint 3');
    assert.equal(issue.fields.priority.name, 'High');
    assert.equal(issue.fields.reporter.displayName, 'Bob Builder');
    assert.equal(issue.fields.status.name, 'To Do');
    assert.equal(issue.fields.created, '2026-06-01T12:00:00.000+0000');
    const event = sim.changes.at(-1)!;
    assert.equal(event.event, 'jira:issue_created');
    assert.equal(event.issue.key, key);
  });

  it("answers every bad field at once, keyed by field id, with Jira's messages", async () => {
    const res = await bob.post(
      '/rest/api/3/issue',
      {
        fields: {
          project: { key: 'PHX' },
          issuetype: { name: 'Story' },
          customfield_10016: 'five',
          customfield_10033: [{ value: 'Fax' }],
          duedate: '2026-02-30',
          labels: ['two words'],
          customfield_10032: { value: 'Production' },
        },
      },
      { invalidRequest: true },
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors, {
      summary: 'You must specify a summary of the issue.',
      customfield_10016: 'Operation value must be a number',
      customfield_10033: "Option value 'Fax' is not valid",
      duedate: 'Error parsing date string: 2026-02-30',
      labels: "The label 'two words' contains spaces which is invalid.",
      customfield_10032: "Field 'customfield_10032' cannot be set. It is not on the appropriate screen, or unknown.",
    });
    const missing = await bob.post('/rest/api/3/issue', {
      fields: { project: { key: 'SUP' }, issuetype: { name: 'Incident' }, summary: 'Outage' },
    });
    assert.equal(missing.status, 403, 'bob may browse SUP but not create in it');
    const alice = simClient(sim);
    const required = await alice.post('/rest/api/3/issue', { fields: { project: { key: 'SUP' }, issuetype: { name: 'Incident' }, summary: 'Outage' } });
    assert.equal(required.status, 400);
    assert.deepEqual(required.body.errors, { customfield_10032: 'Environment is required.' });
  });

  it('records an edit in the changelog with from/to strings and bumps updated', async () => {
    const key = await createStory({ labels: ['a'] });
    now += 60_000;
    const erin = sim.state.userByEmail('erin@example.com')!;
    const res = await bob.put(`/rest/api/3/issue/${key}`, {
      fields: { summary: 'Export invoices as CSV and PDF', assignee: { accountId: erin.accountId }, customfield_10016: 8 },
      update: { labels: [{ add: 'b' }, { remove: 'a' }] },
    });
    assert.equal(res.status, 204);
    const issue = (await bob.get(`/rest/api/3/issue/${key}?expand=changelog`)).body;
    assert.equal(issue.fields.updated, '2026-06-01T12:01:00.000+0000');
    assert.deepEqual(issue.fields.labels, ['b']);
    const items = issue.changelog.histories[0].items;
    const byField = Object.fromEntries(items.map((i: { field: string }) => [i.field, i]));
    assert.equal(byField.summary.fromString, 'Export invoices as CSV');
    assert.equal(byField.summary.toString, 'Export invoices as CSV and PDF');
    assert.equal(byField.assignee.to, erin.accountId);
    assert.equal(byField.assignee.toString, 'Erin Tester');
    assert.equal(byField['Story Points'].fieldtype, 'custom');
    assert.equal(byField['Story Points'].toString, '8');
    assert.equal(byField.labels.fromString, 'a');
    assert.equal(byField.labels.toString, 'b');
    const event = sim.changes.at(-1)!;
    assert.equal(event.event, 'jira:issue_updated');
    assert.equal(event.changelog!.items.length, 4);
  });

  it('makes no change and no event for an edit that sets the same values', async () => {
    const key = await createStory();
    const before = sim.changes.length;
    assert.equal((await bob.put(`/rest/api/3/issue/${key}`, { fields: { summary: 'Export invoices as CSV' } })).status, 204);
    assert.equal(sim.changes.length, before);
    assert.equal(sim.state.issue(key)!.changelog.length, 0);
  });

  it('transitions through the workflow, resolving on Done and clearing on reopen', async () => {
    const key = await createStory();
    const names = async () => (await bob.get(`/rest/api/3/issue/${key}/transitions`)).body.transitions.map((t: { name: string }) => t.name);
    assert.deepEqual(await names(), ['Start progress', 'Done']);
    const done = (await bob.get(`/rest/api/3/issue/${key}/transitions`)).body.transitions.find((t: { name: string }) => t.name === 'Done');
    now += 5_000;
    assert.equal((await bob.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: done.id } })).status, 204);
    let issue = (await bob.get(`/rest/api/3/issue/${key}?fields=status,resolution,resolutiondate`)).body;
    assert.equal(issue.fields.status.name, 'Done');
    assert.equal(issue.fields.status.statusCategory.key, 'done');
    assert.equal(issue.fields.resolution.name, 'Done');
    assert.equal(issue.fields.resolutiondate, '2026-06-01T12:00:05.000+0000');
    const items = sim.changes.at(-1)!.changelog!.items;
    assert.deepEqual(
      items.map((i) => [i.field, i.fromString, i.toString]),
      [
        ['resolution', null, 'Done'],
        ['status', 'To Do', 'Done'],
      ],
    );
    assert.deepEqual(await names(), ['Reopen']);
    const reopen = (await bob.get(`/rest/api/3/issue/${key}/transitions`)).body.transitions[0];
    await bob.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: reopen.id } });
    issue = (await bob.get(`/rest/api/3/issue/${key}?fields=status,resolution`)).body;
    assert.equal(issue.fields.resolution, null);
    assert.equal(issue.fields.status.name, 'To Do');
  });

  it('adds and edits comments and announces both', async () => {
    const key = await createStory();
    const added = await bob.post(`/rest/api/3/issue/${key}/comment`, { body: adfText('First!') });
    assert.equal(sim.changes.at(-1)!.event, 'comment_created');
    now += 1000;
    await bob.put(`/rest/api/3/issue/${key}/comment/${added.body.id}`, { body: adfText('First, edited') });
    const event = sim.changes.at(-1)!;
    assert.equal(event.event, 'comment_updated');
    const list = (await bob.get(`/rest/api/3/issue/${key}/comment`)).body;
    assert.equal(list.total, 1);
    assert.equal(list.comments[0].body.content[0].content[0].text, 'First, edited');
    assert.equal(list.comments[0].updated, '2026-06-01T12:00:01.000+0000');
    assert.equal((await bob.get(`/rest/api/3/issue/${key}?fields=updated`)).body.fields.updated, '2026-06-01T12:00:01.000+0000');
  });

  it('ranks issues before another and records the rank change', async () => {
    const rankOf = (key: string) => sim.state.issue(key)!.rank;
    assert.ok(rankOf('PHX-30') > rankOf('PHX-10'));
    const res = await bob.put('/rest/agile/1.0/issue/rank', { issues: ['PHX-30', 'PHX-31'], rankBeforeIssue: 'PHX-10' });
    assert.equal(res.status, 204);
    assert.ok(rankOf('PHX-30') < rankOf('PHX-31'));
    assert.ok(rankOf('PHX-31') < rankOf('PHX-10'));
    assert.ok(rankOf('PHX-30') > rankOf('PHX-9'));
    const ranked = await bob.get('/rest/api/3/search/jql?jql=project%20%3D%20PHX%20ORDER%20BY%20rank&maxResults=12&fields=summary');
    const keys = ranked.body.issues.map((i: { key: string }) => i.key);
    assert.deepEqual(keys.slice(8, 12), ['PHX-9', 'PHX-30', 'PHX-31', 'PHX-10']);
    assert.equal(sim.changes.at(-1)!.changelog!.items[0].toString, 'Ranked higher');
  });

  it('moves issues between sprint and backlog, keeping closed sprints in the history', async () => {
    const key = await createStory();
    assert.equal((await bob.post('/rest/agile/1.0/sprint/3/issue', { issues: [key] })).status, 204);
    assert.deepEqual(sim.state.issue(key)!.values.customfield_10020, [3]);
    const item = sim.changes.at(-1)!.changelog!.items[0];
    assert.deepEqual([item.field, item.fromString, item.toString], ['Sprint', null, 'PHX Sprint 3']);
    const backlog = async () => (await bob.get('/rest/agile/1.0/board/1/backlog?maxResults=500&fields=summary')).body.issues.map((i: { key: string }) => i.key);
    assert.equal((await backlog()).includes(key), false);
    assert.equal((await bob.post('/rest/agile/1.0/backlog/issue', { issues: [key] })).status, 204);
    assert.equal((await backlog()).includes(key), true);
    const closedMember = sim.state.site.issues.find((i) => (i.values.customfield_10020 as number[] | undefined)?.[0] === 1)!;
    await simClient(sim).post('/rest/agile/1.0/sprint/4/issue', { issues: [closedMember.key] });
    assert.deepEqual(sim.state.issue(closedMember.key)!.values.customfield_10020, [1, 4]);
  });

  it('searches see every change at once, even when the clock stands still', async () => {
    const key = await createStory();
    const find = async (jql: string) => (await bob.post('/rest/api/3/search/jql', { jql, fields: ['summary'] })).body.issues.map((i: { key: string }) => i.key);
    assert.deepEqual(await find(`key = ${key} AND summary ~ invoices`), [key]);
    await bob.put(`/rest/api/3/issue/${key}`, { fields: { summary: 'Export receipts' } });
    assert.deepEqual(await find(`key = ${key} AND summary ~ invoices`), []);
    await bob.post(`/rest/api/3/issue/${key}/comment`, { body: adfText('pineapple') });
    assert.deepEqual(await find(`key = ${key} AND comment ~ pineapple`), [key]);
    const erin = sim.state.userByEmail('erin@example.com')!.accountId;
    await bob.post(`/rest/api/3/issue/${key}/watchers`, erin);
    assert.deepEqual(await find(`key = ${key} AND watcher = "${erin}"`), [key]);
  });

  it('deletes an issue with its subtasks only when asked', async () => {
    const parent = sim.state.site.issues.find((i) => sim.state.site.issues.some((s) => s.values.parent === i.id && s.issueTypeId === '10004'))!;
    const alice = simClient(sim);
    assert.equal((await alice.del(`/rest/api/3/issue/${parent.key}`)).status, 400);
    assert.equal((await alice.del(`/rest/api/3/issue/${parent.key}?deleteSubtasks=true`)).status, 204);
    assert.equal(sim.state.issue(parent.key), undefined);
    assert.ok(sim.changes.every((c) => c.event === 'jira:issue_deleted'));
  });
});
