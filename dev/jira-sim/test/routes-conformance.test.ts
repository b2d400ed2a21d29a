import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim } from '../src/start-jira-sim';
import { adfText, coveredOperations, simClient, type SimClient } from './support/sim-client';

/**
 * Every route the simulator serves, through real HTTP, with each exchange (success and the
 * documented errors) checked against Jira's OpenAPI spec by the client.
 */
describe('jira-sim routes conform to the Jira Cloud OpenAPI specs', () => {
  let sim: JiraSim;
  let alice: SimClient;
  let victor: SimClient;

  before(async () => {
    sim = await startJiraSim();
    alice = simClient(sim);
    victor = simClient(sim, { email: 'victor@example.com' });
  });
  after(() => sim.close());

  it('serves site info: myself, serverInfo, fields, priorities, statuses, permissions', async () => {
    assert.equal((await alice.get('/rest/api/3/myself')).body.emailAddress, 'alice@example.com');
    assert.equal((await alice.get('/rest/api/3/serverInfo')).body.deploymentType, 'Cloud');
    const fields = (await alice.get('/rest/api/3/field')).body as Array<{ id: string }>;
    assert.ok(fields.some((f) => f.id === 'customfield_10016'));
    assert.deepEqual(
      ((await alice.get('/rest/api/3/priority')).body as Array<{ name: string }>).map((p) => p.name),
      ['Highest', 'High', 'Medium', 'Low', 'Lowest'],
    );
    assert.equal((await alice.get('/rest/api/3/priority/search?maxResults=2')).body.values.length, 2);
    assert.ok(((await alice.get('/rest/api/3/status')).body as unknown[]).length >= 4);
    assert.equal(((await alice.get('/rest/api/3/statuscategory')).body as unknown[]).length, 4);
    const victorTypes = (await victor.get('/rest/api/3/issuetype')).body.map((t: { name: string }) => t.name);
    assert.equal(victorTypes.includes('Incident'), false, 'types of projects victor cannot browse are hidden');
    const perms = await victor.get('/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,CREATE_ISSUES&projectKey=PHX');
    assert.equal(perms.body.permissions.BROWSE_PROJECTS.havePermission, true);
    assert.equal(perms.body.permissions.CREATE_ISSUES.havePermission, false);
    assert.equal((await alice.get('/rest/api/3/mypermissions')).status, 400);
    assert.equal((await victor.get('/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS&projectKey=SUP')).status, 404);
    assert.equal((await simClient(sim, { none: true }).get('/rest/api/3/myself')).status, 401);
    assert.equal((await simClient(sim, { none: true }).get('/rest/api/3/serverInfo')).status, 200, 'serverInfo is anonymous');
  });

  it('serves projects and createmeta', async () => {
    const page = await alice.get('/rest/api/3/project/search?maxResults=2');
    assert.equal(page.body.total, 3);
    assert.equal(page.body.isLast, false);
    assert.equal((await alice.get('/rest/api/3/project/KAN')).body.name, 'Atlas Web');
    assert.equal((await victor.get('/rest/api/3/project/SUP')).status, 404);
    const projectKeys = (body: { values: Array<{ key: string }> }) => body.values.map((p) => p.key).sort();
    assert.deepEqual(projectKeys((await victor.get('/rest/api/3/project/search')).body), ['KAN', 'PHX'], 'victor browses two');
    assert.deepEqual(projectKeys((await victor.get('/rest/api/3/project/search?action=create')).body), [], 'but may create in none');
    assert.deepEqual(projectKeys((await alice.get('/rest/api/3/project/search?action=create')).body), ['KAN', 'PHX', 'SUP']);
    const types = await alice.get('/rest/api/3/issue/createmeta/SUP/issuetypes');
    assert.deepEqual(
      types.body.issueTypes.map((t: { name: string }) => t.name),
      ['Service Request', 'Incident'],
    );
    const meta = await alice.get('/rest/api/3/issue/createmeta/SUP/issuetypes/10006');
    const environment = meta.body.fields.find((f: { fieldId: string }) => f.fieldId === 'customfield_10032');
    assert.equal(environment.required, true);
    assert.deepEqual(
      environment.allowedValues.map((v: { value: string }) => v.value),
      ['Production', 'Staging', 'Development'],
    );
    assert.equal((await alice.get('/rest/api/3/issue/createmeta/SUP/issuetypes/10001')).status, 400);
    assert.equal((await victor.get('/rest/api/3/issue/createmeta/PHX/issuetypes')).status, 400);
    const statuses = await alice.get('/rest/api/3/project/PHX/statuses');
    assert.ok(statuses.body.length > 0 && statuses.body.every((t: { statuses: unknown[] }) => t.statuses.length > 0), 'each issue type with its workflow statuses');
    assert.equal((await victor.get('/rest/api/3/project/SUP/statuses')).status, 404);
  });

  it('serves issues: get, create, edit, assign, transitions, delete', async () => {
    const got = await alice.get('/rest/api/3/issue/PHX-12?expand=changelog,renderedFields,names,transitions,schema');
    assert.equal(got.body.key, 'PHX-12');
    const editmeta = await alice.get('/rest/api/3/issue/PHX-12/editmeta');
    assert.equal(editmeta.body.fields.summary.required, true);
    assert.deepEqual((await victor.get('/rest/api/3/issue/PHX-12/editmeta')).body.fields, {});
    assert.equal((await victor.get('/rest/api/3/issue/SUP-1/editmeta')).status, 404);
    assert.equal((await alice.get('/rest/api/3/issue/PHX-99999')).status, 404);
    const created = await alice.post('/rest/api/3/issue', {
      fields: {
        project: { key: 'PHX' },
        issuetype: { name: 'Bug' },
        summary: 'Checkout fails for EUR',
        description: adfText('Steps to reproduce'),
        customfield_10032: { value: 'Production' },
        labels: ['payments'],
      },
    });
    assert.equal(created.status, 201);
    const invalid = await alice.post('/rest/api/3/issue', { fields: { project: { key: 'PHX' }, issuetype: { name: 'Story' } } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.errors.summary, 'You must specify a summary of the issue.');
    assert.equal((await victor.post('/rest/api/3/issue', { fields: { project: { key: 'PHX' }, issuetype: { name: 'Task' }, summary: 'x' } })).status, 403);

    const key = created.body.key as string;
    assert.equal((await alice.put(`/rest/api/3/issue/${key}`, { fields: { summary: 'Checkout fails for EUR and GBP' } })).status, 204);
    const returned = await alice.put(`/rest/api/3/issue/${key}?returnIssue=true`, { update: { labels: [{ add: 'urgent' }] } });
    assert.equal(returned.status, 200);
    assert.deepEqual(returned.body.fields.labels, ['payments', 'urgent']);
    assert.equal((await alice.put(`/rest/api/3/issue/${key}`, { fields: { duedate: 'tomorrow' } }, { invalidRequest: true })).status, 400);
    assert.equal((await victor.put(`/rest/api/3/issue/${key}`, { fields: { summary: 'nope' } })).status, 403);
    assert.equal((await alice.put(`/rest/api/3/issue/${key}/assignee`, { accountId: sim.state.userByEmail('bob@example.com')!.accountId })).status, 204);
    assert.equal((await victor.put(`/rest/api/3/issue/${key}/assignee`, { accountId: null }, { invalidRequest: true })).status, 403);
    assert.equal((await alice.put('/rest/api/3/issue/PHX-99999/assignee', { accountId: null }, { invalidRequest: true })).status, 404);

    const transitions = await alice.get(`/rest/api/3/issue/${key}/transitions`);
    const start = transitions.body.transitions.find((t: { name: string }) => t.name === 'Start progress');
    assert.ok(start);
    assert.equal((await alice.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: start.id } })).status, 204);
    assert.equal((await alice.post(`/rest/api/3/issue/${key}/transitions`, { transition: { id: '999' } })).status, 400);
    assert.equal((await alice.get('/rest/api/3/issue/PHX-99999/transitions')).status, 404);

    assert.equal((await victor.del(`/rest/api/3/issue/${key}`)).status, 403);
    assert.equal((await alice.del(`/rest/api/3/issue/${key}`)).status, 204);
    assert.equal((await alice.get(`/rest/api/3/issue/${key}`)).status, 404);
  });

  it('serves comments: list, add, get, edit, delete', async () => {
    const list = await alice.get('/rest/api/3/issue/PHX-2/comment?orderBy=-created');
    assert.equal(list.body.total, list.body.comments.length);
    const added = await alice.post('/rest/api/3/issue/PHX-2/comment', { body: adfText('Deployed to staging') });
    assert.equal(added.status, 201);
    const id = added.body.id as string;
    assert.equal((await alice.get(`/rest/api/3/issue/PHX-2/comment/${id}?expand=renderedBody`)).body.renderedBody, '<p>Deployed to staging</p>');
    const edited = await alice.put(`/rest/api/3/issue/PHX-2/comment/${id}`, { body: adfText('Deployed to production') });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.body.content[0].content[0].text, 'Deployed to production');
    assert.equal((await alice.post('/rest/api/3/issue/PHX-2/comment', { body: 'plain text' }, { invalidRequest: true })).status, 400);
    assert.equal((await alice.get('/rest/api/3/issue/PHX-2/comment/1')).status, 404);
    assert.equal((await victor.put(`/rest/api/3/issue/PHX-2/comment/${id}`, { body: adfText('hijack') })).status, 400);
    assert.equal((await alice.del(`/rest/api/3/issue/PHX-2/comment/${id}`)).status, 204);
    assert.equal((await alice.get('/rest/api/3/issue/SUP-1/comment')).status, 200);
    assert.equal((await victor.get('/rest/api/3/issue/SUP-1/comment')).status, 404);
  });

  it('serves issue history, one issue paged and many in bulk', async () => {
    const phx5 = sim.state.issue('PHX-5')!;
    const page = await alice.get('/rest/api/3/issue/PHX-5/changelog?maxResults=1');
    assert.equal(page.body.total, phx5.changelog.length);
    assert.equal(page.body.values.length, Math.min(1, phx5.changelog.length));
    assert.equal((await victor.get('/rest/api/3/issue/SUP-1/changelog')).status, 404);
    const keys = sim.state.site.issues
      .filter((i) => i.key.startsWith('PHX-') && i.changelog.length >= 2)
      .slice(0, 3)
      .map((i) => i.key);
    const statusChanges = keys.flatMap((k) => sim.state.issue(k)!.changelog.filter((e) => e.items.some((i) => i.field === 'status')));
    const bulk = await alice.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: keys, fieldIds: ['status'], maxResults: 2 });
    const histories = (body: { issueChangeLogs: Array<{ changeHistories: Array<{ id: string; items: Array<{ field: string }> }> }> }) =>
      body.issueChangeLogs.flatMap((l) => l.changeHistories);
    assert.equal(histories(bulk.body).length, 2);
    assert.ok(histories(bulk.body).every((h) => h.items.every((i) => i.field === 'status')));
    const next = await alice.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: keys, fieldIds: ['status'], nextPageToken: bulk.body.nextPageToken });
    assert.deepEqual(
      [...histories(bulk.body), ...histories(next.body)].map((h) => h.id),
      statusChanges.map((e) => e.id),
    );
    assert.equal((await alice.post('/rest/api/3/changelog/bulkfetch', { issueIdsOrKeys: [] }, { invalidRequest: true })).status, 400);
  });

  it('serves watchers and remote links', async () => {
    const bob = sim.state.userByEmail('bob@example.com')!.accountId;
    assert.equal((await alice.post('/rest/api/3/issue/PHX-3/watchers', bob)).status, 204);
    const watchers = await alice.get('/rest/api/3/issue/PHX-3/watchers');
    assert.ok(watchers.body.watchers.some((w: { accountId: string }) => w.accountId === bob));
    assert.equal((await victor.post('/rest/api/3/issue/PHX-3/watchers', bob)).status, 403);
    assert.equal((await alice.del(`/rest/api/3/issue/PHX-3/watchers?accountId=${encodeURIComponent(bob)}`)).status, 204);
    assert.equal((await alice.del('/rest/api/3/issue/PHX-3/watchers')).status, 400);

    const link = { globalId: 'teams-msg-1', object: { url: 'https://teams.microsoft.com/l/message/1', title: 'Teams message' } };
    assert.equal((await alice.post('/rest/api/3/issue/PHX-3/remotelink', link)).status, 201);
    assert.equal(sim.state.issue('PHX-3')!.changelog.at(-1)!.items[0].toString, 'This issue links to "Teams message"');
    assert.equal((await alice.post('/rest/api/3/issue/PHX-3/remotelink', { ...link, object: { ...link.object, title: 'Renamed' } })).status, 200);
    const links = await alice.get('/rest/api/3/issue/PHX-3/remotelink?globalId=teams-msg-1');
    assert.equal(links.body.length, 1);
    assert.equal(links.body[0].object.title, 'Renamed');
    assert.equal((await alice.post('/rest/api/3/issue/PHX-3/remotelink', { object: {} }, { invalidRequest: true })).status, 400);
    assert.equal((await victor.post('/rest/api/3/issue/PHX-3/remotelink', link)).status, 403);
  });

  it('serves search (GET and POST) and JQL parse', async () => {
    const get = await alice.get('/rest/api/3/search/jql?jql=project%20%3D%20PHX%20ORDER%20BY%20rank&maxResults=5&fields=summary,status&expand=names');
    assert.equal(get.body.issues.length, 5);
    assert.equal(typeof get.body.nextPageToken, 'string');
    const post = await alice.post('/rest/api/3/search/jql', { jql: 'project = KAN', fields: ['*all'], maxResults: 3, expand: 'changelog' });
    assert.equal(post.body.issues.length, 3);
    assert.equal((await alice.get('/rest/api/3/search/jql?jql=project%20%3D')).status, 400);
    assert.equal((await alice.post('/rest/api/3/search/jql', { jql: 'project = NOPE' })).status, 400);
    const count = await alice.post('/rest/api/3/search/approximate-count', { jql: 'project = SUP' });
    assert.equal(count.body.count, 40);
    assert.equal((await alice.post('/rest/api/3/search/approximate-count', { jql: 'project = ' })).status, 400);
    const picked = await alice.get('/rest/api/3/issue/picker?query=PHX-11&currentJQL=project%20%3D%20PHX');
    assert.ok(picked.body.sections[0].issues.some((i: { key: string }) => i.key === 'PHX-11'));
    assert.ok(picked.body.sections[0].issues.every((i: { key: string }) => i.key.startsWith('PHX-11')));
    const parsed = await alice.post('/rest/api/3/jql/parse', { queries: ['project = PHX ORDER BY rank', 'project ='] });
    assert.equal(parsed.body.queries[0].errors, undefined);
    assert.ok(parsed.body.queries[1].errors.length > 0);
  });

  it('serves saved filters', async () => {
    const bug = await alice.get('/rest/api/3/filter/10002');
    assert.equal(bug.body.jql, 'issuetype = Bug AND resolution = Unresolved ORDER BY priority DESC, updated DESC');
    assert.equal((await alice.post('/rest/api/3/search/jql', { jql: bug.body.jql })).status, 200, 'a saved filter is valid JQL');
    assert.equal((await victor.get('/rest/api/3/filter/10003')).status, 400, 'shared with SUP only');
    assert.equal((await alice.get('/rest/api/3/filter/10004')).status, 400, 'private to bob');
    const mine = await simClient(sim, { email: 'bob@example.com' }).get('/rest/api/3/filter/search?filterName=open');
    assert.deepEqual(
      mine.body.values.map((f: { name: string }) => f.name),
      ['My open work', 'Open bugs'],
    );
  });

  it('serves users', async () => {
    const bob = sim.state.userByEmail('bob@example.com')!.accountId;
    assert.equal((await alice.get(`/rest/api/3/user?accountId=${encodeURIComponent(bob)}`)).body.displayName, 'Bob Builder');
    assert.equal((await alice.get('/rest/api/3/user?accountId=nobody')).status, 404);
    const carol = sim.state.userByEmail('carol@example.com')!.accountId;
    const bulk = await alice.get(`/rest/api/3/user/bulk?accountId=${encodeURIComponent(bob)}&accountId=${encodeURIComponent(carol)}&accountId=nobody`);
    assert.deepEqual(
      bulk.body.values.map((u: { displayName: string }) => u.displayName),
      ['Bob Builder', 'Carol Product'],
    );
    assert.equal((await alice.get('/rest/api/3/user/bulk')).status, 400);
    assert.deepEqual(
      (await alice.get('/rest/api/3/user/search?query=car')).body.map((u: { displayName: string }) => u.displayName),
      ['Carol Product'],
    );
    assert.equal((await alice.get('/rest/api/3/user/search')).status, 400);
    const assignable = await alice.get('/rest/api/3/user/assignable/search?project=SUP');
    assert.ok(assignable.body.every((u: { displayName: string }) => u.displayName !== 'Victor Viewer'));
    assert.equal((await alice.get('/rest/api/3/user/assignable/search?issueKey=PHX-99999')).status, 404);
  });

  it('serves the Agile API: boards, configuration, sprints, backlog, issue, rank', async () => {
    const boards = await alice.get('/rest/agile/1.0/board?type=scrum');
    assert.deepEqual(
      boards.body.values.map((b: { name: string }) => b.name),
      ['PHX board'],
    );
    assert.equal((await alice.get('/rest/agile/1.0/board/1')).body.type, 'scrum');
    assert.equal((await alice.get('/rest/agile/1.0/board/99')).status, 404);
    const config = await alice.get('/rest/agile/1.0/board/1/configuration');
    assert.equal(config.body.estimation.field.fieldId, 'customfield_10016');
    const sprints = await alice.get('/rest/agile/1.0/board/1/sprint?state=active');
    assert.deepEqual(
      sprints.body.values.map((s: { name: string }) => s.name),
      ['PHX Sprint 3'],
    );
    assert.equal((await alice.get('/rest/agile/1.0/board/2/sprint')).status, 400);
    const backlog = await alice.get('/rest/agile/1.0/board/1/backlog?maxResults=10&fields=summary,customfield_10019');
    const ranks = backlog.body.issues.map((i: { fields: { customfield_10019: string } }) => i.fields.customfield_10019);
    assert.deepEqual(ranks, [...ranks].sort());
    assert.equal((await alice.get('/rest/agile/1.0/issue/PHX-5')).body.key, 'PHX-5');
    const boardIssues = await alice.get('/rest/agile/1.0/board/2/issue?maxResults=5&jql=status%20%3D%20%22To%20Do%22');
    assert.ok(boardIssues.body.issues.every((i: { key: string }) => i.key.startsWith('KAN-')));
    assert.equal((await alice.get('/rest/agile/1.0/sprint/3')).body.state, 'active');
    assert.equal((await victor.get('/rest/agile/1.0/sprint/99')).status, 404);
    const inSprint = await alice.get('/rest/agile/1.0/sprint/3/issue?fields=summary');
    assert.ok(inSprint.body.total > 0);
    const backlogKey = backlog.body.issues[0].key as string;
    assert.equal((await alice.post('/rest/agile/1.0/sprint/4/issue', { issues: [backlogKey] })).status, 204);
    assert.equal((await alice.post('/rest/agile/1.0/sprint/1/issue', { issues: [backlogKey] })).status, 400, 'closed sprint');
    assert.equal((await victor.post('/rest/agile/1.0/sprint/4/issue', { issues: ['PHX-20'] })).status, 403);
    assert.equal((await alice.post('/rest/agile/1.0/sprint/99/issue', { issues: ['PHX-20'] })).status, 404);
    assert.equal((await alice.post('/rest/agile/1.0/backlog/issue', { issues: [backlogKey] })).status, 204);
    assert.equal((await alice.post('/rest/agile/1.0/backlog/issue', { issues: [] })).status, 400);
    assert.equal((await victor.get('/rest/agile/1.0/issue/SUP-5')).status, 404);
    assert.equal((await alice.put('/rest/agile/1.0/issue/rank', { issues: ['PHX-9'], rankBeforeIssue: 'PHX-2' })).status, 204);
    const partial = await alice.put('/rest/agile/1.0/issue/rank', { issues: ['PHX-9', 'PHX-99999'], rankAfterIssue: 'PHX-2' });
    assert.equal(partial.status, 207);
    assert.equal(partial.body.entries[1].status, 404);
    assert.equal((await alice.put('/rest/agile/1.0/issue/rank', { issues: ['PHX-9'] })).status, 400);
    assert.deepEqual((await alice.put('/rest/agile/1.0/issue/PHX-9/estimation?boardId=1', { value: '5' })).body, { fieldId: 'customfield_10016', value: 5 });
    assert.deepEqual((await alice.get('/rest/agile/1.0/issue/PHX-9/estimation?boardId=1')).body, { fieldId: 'customfield_10016', value: 5 });
    assert.equal((await alice.get('/rest/agile/1.0/issue/PHX-9/estimation')).status, 400, 'boardId is required');
  });

  it('covered every route the simulator serves', () => {
    const served = sim.routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const missing = served.filter((op) => !coveredOperations.has(op));
    assert.deepEqual(missing, []);
  });
});
