import assert from 'node:assert/strict';
import { FieldId, type JiraSim } from '../../../dev/jira-sim/src';
import { CONNECTION_KINDS, type ConnectionKind } from '../support/connect-as';
import { startMeetingStack, type MeetingStack } from '../support/start-meeting-stack';
import type { TestBot } from '../support/start-test-bot';
import { assertTabError, openEventStream, tabClient } from './tab-client';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const MEETING = '19:meeting_backlog-pickers@thread.v2';
interface Person {
  oid: string;
  name: string;
  jiraUser: string;
}
/** Alice (who may schedule issues) and Victor (who may not), once per connection kind, all in the one meeting. */
const CASTS: Record<ConnectionKind, { alice: Person; victor: Person }> = {
  token: {
    alice: { oid: 'a11ce000-0000-4000-8000-000000000001', name: 'Alice Admin', jiraUser: 'alice' },
    victor: { oid: 'f1c70000-0000-4000-8000-000000000008', name: 'Victor Viewer', jiraUser: 'victor' },
  },
  oauth: {
    alice: { oid: 'a11ce000-0000-4000-8000-0000000000a1', name: 'Alice Admin', jiraUser: 'alice' },
    victor: { oid: 'f1c70000-0000-4000-8000-0000000000f8', name: 'Victor Viewer', jiraUser: 'victor' },
  },
};

/**
 * Backlogs without typing JQL, over real HTTP against the assembled service and the simulator's
 * Agile and filter routes: the pickers list what the user's own Jira lists, a picked board,
 * sprint, filter or project becomes the query whose issues Jira itself puts there, and issues
 * move between sprints and the backlog in the simulator. Once with API tokens, once with OAuth
 * connections holding the scopes the app requests (the simulator answers a missing scope 401),
 * over the one service.
 */
describe('backlog pickers and sprint work in the tab API', () => {
  let sim: JiraSim;
  let testBot: TestBot;
  let api: ReturnType<typeof tabClient>;
  const tokens = new Map<string, string>();

  const jira = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: sim.basicAuth(`${user}@example.com`), 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const simKeys = async (jql: string) =>
    (await jira('alice', 'POST', '/rest/api/3/search/jql', { jql, maxResults: 200, fields: ['id'] })).body.issues.map((i: { key: string }) => i.key);
  /** Keys of an Agile issue list (board backlog, sprint issues), in its order. */
  const agileKeys = async (path: string) => (await jira('alice', 'GET', `${path}?maxResults=500&fields=summary`)).body.issues.map((i: { key: string }) => i.key);
  const tabKeys = async (backlogId: string, who: Person) => {
    const answer = await api(tokens.get(who.oid), 'GET', `/backlogs/${backlogId}/issues?pageSize=100`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.nextPageToken, undefined, 'one page is enough here');
    return answer.body.issues.map((i: { key: string }) => i.key);
  };
  const createAs = async (who: Person, body: object) => api(tokens.get(who.oid), 'POST', '/backlogs', { name: 'Picked', conversationId: MEETING, ...body });

  let stack: MeetingStack | undefined;
  before(async () => {
    const seated = CONNECTION_KINDS.flatMap((via) =>
      [CASTS[via].alice, CASTS[via].victor].map((p) => ({ tenantId: TENANT, aadObjectId: p.oid, name: p.name, jira: p.jiraUser, via })),
    );
    stack = await startMeetingStack({ meetings: { [MEETING]: seated } });
    ({ sim, testBot, api } = stack);
    for (const person of seated) tokens.set(person.aadObjectId, stack.tokenOf(person));
  });
  after(async () => {
    await stack?.close();
  });

  for (const via of CONNECTION_KINDS)
    describe(`${via} connections`, () => {
      const { alice, victor } = CASTS[via];

      describe('pickers', () => {
        it("lists the user's projects, boards, a board's open sprints and saved filters as Jira does", async () => {
          const token = tokens.get(alice.oid);
          const projects = await api(token, 'GET', '/pickers/projects');
          assert.equal(projects.status, 200, JSON.stringify(projects.body));
          const simProjects = (await jira('alice', 'GET', '/rest/api/3/project/search?maxResults=100')).body.values.map((p: { key: string }) => p.key);
          assert.deepEqual(projects.body.projects.map((p: { key: string }) => p.key).sort(), [...simProjects].sort());
          assert.deepEqual(
            (await api(token, 'GET', '/pickers/projects?query=phoenix')).body.projects.map((p: { key: string }) => p.key),
            ['PHX'],
          );

          const boards = await api(token, 'GET', '/pickers/boards');
          assert.deepEqual(
            boards.body.boards.map((b: { id: number; type: string; projectKey: string }) => [b.id, b.type, b.projectKey]),
            [
              [2, 'kanban', 'KAN'],
              [1, 'scrum', 'PHX'],
            ],
          );
          assert.deepEqual(
            (await api(token, 'GET', '/pickers/boards?projectKey=PHX')).body.boards.map((b: { id: number }) => b.id),
            [1],
          );

          const sprints = await api(token, 'GET', '/pickers/boards/1/sprints');
          const open = (await jira('alice', 'GET', '/rest/agile/1.0/board/1/sprint?state=active,future')).body.values;
          assert.deepEqual(
            sprints.body.sprints.map((s: { id: number; state: string }) => [s.id, s.state]),
            open.map((s: { id: number; state: string }) => [s.id, s.state]),
          );
          assert.ok(open.length >= 2 && sprints.body.sprints.every((s: { state: string }) => s.state !== 'closed'), 'closed sprints are not offered');
          assert.equal(sprints.body.sprints[0].goal, open[0].goal);

          const filters = await api(token, 'GET', '/pickers/filters?query=bugs');
          assert.deepEqual(filters.body.filters, [{ id: '10002', name: 'Open bugs' }]);
        });

        it("answers a kanban board's sprints and an unknown board with the contract's errors", async () => {
          assertTabError(await api(tokens.get(alice.oid), 'GET', '/pickers/boards/2/sprints'), 400, 'badRequest', /sprints/);
          assertTabError(await api(tokens.get(alice.oid), 'GET', '/pickers/boards/999/sprints'), 404, 'notFound');
          assertTabError(await api(tokens.get(alice.oid), 'GET', '/pickers/boards/abc/sprints'), 400, 'badRequest');
          assertTabError(await api(undefined, 'GET', '/pickers/projects'), 401, 'unauthenticated');
        });
      });

      describe('backlogs from a pick', () => {
        it("a scrum board lists the board's backlog, as Jira's Agile API has it", async () => {
          const answer = await createAs(alice, { source: { kind: 'board', boardId: 1 } });
          assert.equal(answer.status, 201, JSON.stringify(answer.body));
          const { backlog } = answer.body;
          assert.deepEqual(backlog.source, { kind: 'board', boardId: 1, name: 'PHX board', projectKey: 'PHX' });
          const expected = await agileKeys('/rest/agile/1.0/board/1/backlog');
          assert.ok(expected.length > 5, `${expected.length} issues on the board's backlog`);
          assert.deepEqual(await tabKeys(backlog.id, alice), expected);
        });

        it("a sprint lists the sprint's issues; a filter its filter's; a project the project's", async () => {
          const sprint = (await createAs(alice, { source: { kind: 'sprint', sprintId: 3 } })).body.backlog;
          assert.deepEqual(sprint.source, { kind: 'sprint', sprintId: 3, boardId: 1, name: 'PHX Sprint 3', projectKey: 'PHX' });
          assert.equal(sprint.jql, 'sprint = 3 ORDER BY Rank ASC');
          assert.deepEqual(await tabKeys(sprint.id, alice), await agileKeys('/rest/agile/1.0/sprint/3/issue'));

          const filter = (await createAs(alice, { source: { kind: 'filter', filterId: '10002' } })).body.backlog;
          assert.deepEqual(filter.source, { kind: 'filter', filterId: '10002', name: 'Open bugs' });
          assert.equal(filter.jql, 'filter = 10002');
          const filtered = await simKeys('issuetype = Bug AND resolution = Unresolved ORDER BY Rank ASC');
          assert.ok(filtered.length > 0);
          assert.deepEqual(await tabKeys(filter.id, alice), filtered);

          const project = (await createAs(alice, { source: { kind: 'project', projectKey: 'kan' } })).body.backlog;
          assert.deepEqual(project.source, { kind: 'project', projectKey: 'KAN', name: 'Atlas Web' });
          assert.deepEqual(await tabKeys(project.id, alice), await simKeys('project = KAN ORDER BY Rank ASC'));
        });

        it('switches a typed query to a picked sprint and back on PUT', async () => {
          const id = (await createAs(alice, { jql: 'project = KAN' })).body.backlog.id;
          const picked = await api(tokens.get(alice.oid), 'PUT', `/backlogs/${id}`, { name: 'Now a sprint', source: { kind: 'sprint', sprintId: 4 } });
          assert.equal(picked.status, 200, JSON.stringify(picked.body));
          assert.equal(picked.body.backlog.source.kind, 'sprint');
          assert.deepEqual(await tabKeys(id, alice), await agileKeys('/rest/agile/1.0/sprint/4/issue'));
          const typed = await api(tokens.get(alice.oid), 'PUT', `/backlogs/${id}`, { name: 'Typed again', jql: 'project = KAN' });
          assert.deepEqual(typed.body.backlog.source, { kind: 'jql' });
          assert.equal((await api(tokens.get(alice.oid), 'GET', `/backlogs/${id}`)).body.backlog.jql, 'project = KAN');
        });

        it('refuses a pick Jira refuses, and a body with both or neither of jql and source', async () => {
          assertTabError(await createAs(alice, { source: { kind: 'board', boardId: 999 } }), 404, 'notFound');
          assertTabError(await createAs(alice, { source: { kind: 'filter', filterId: '99' } }), 400, 'badRequest', /filter/);
          assertTabError(await createAs(alice, { source: { kind: 'project', projectKey: 'NOPE' } }), 404, 'notFound');
          assertTabError(await createAs(alice, { jql: 'project = KAN', source: { kind: 'project', projectKey: 'KAN' } }), 400, 'badRequest', /exactly one of jql and source/);
          assertTabError(await createAs(alice, {}), 400, 'badRequest');
          assertTabError(await createAs(alice, { source: { kind: 'sprint' } }), 400, 'badRequest');
        });
      });

      describe('sprint work', () => {
        it("gives the sprint's goal and dates and the sprints to move to; moves an issue to the next sprint and back to the backlog in Jira", async () => {
          const backlogId = (await createAs(alice, { source: { kind: 'sprint', sprintId: 3 } })).body.backlog.id;
          const sprints = await api(tokens.get(alice.oid), 'GET', `/backlogs/${backlogId}/sprints`);
          assert.equal(sprints.status, 200, JSON.stringify(sprints.body));
          const simSprint = (await jira('alice', 'GET', '/rest/agile/1.0/sprint/3')).body;
          assert.deepEqual(sprints.body.sprint, { id: 3, name: 'PHX Sprint 3', state: 'active', goal: simSprint.goal, startDate: simSprint.startDate, endDate: simSprint.endDate });
          assert.ok(simSprint.goal);
          assert.deepEqual(
            sprints.body.sprints.map((s: { id: number }) => s.id),
            [3, 4],
          );

          const [key] = await tabKeys(backlogId, alice);
          assert.ok(key);
          const stream = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlogId}/events`, tokens.get(alice.oid)!);
          try {
            await stream.next('ready');
            const moved = await api(tokens.get(alice.oid), 'POST', `/backlogs/${backlogId}/sprint-moves`, { keys: [key], sprintId: 4 });
            assert.equal(moved.status, 200, JSON.stringify(moved.body));
            assert.equal(moved.body.issues[0].key, key);
            const sprintIds = (await jira('alice', 'GET', `/rest/api/3/issue/${key}?fields=${FieldId.Sprint}`)).body.fields[FieldId.Sprint].map((s: { id: number }) => s.id);
            assert.ok(sprintIds.includes(4) && !sprintIds.includes(3), `sprints ${sprintIds}`);
            await stream.next('issue-changed', (d) => d.key === key);
            assert.ok(!(await tabKeys(backlogId, alice)).includes(key), 'no longer in the sprint 3 backlog');
            assert.ok((await agileKeys('/rest/agile/1.0/sprint/4/issue')).includes(key));

            const back = await api(tokens.get(alice.oid), 'POST', `/backlogs/${backlogId}/sprint-moves`, { keys: [key], sprintId: null });
            assert.equal(back.status, 200, JSON.stringify(back.body));
            assert.ok((await agileKeys('/rest/agile/1.0/board/1/backlog')).includes(key), "on the board's backlog");
            assert.ok(!(await agileKeys('/rest/agile/1.0/sprint/4/issue')).includes(key));
          } finally {
            await stream.close();
          }
        });

        it("names the Schedule Issues permission when Jira refuses the move; finds the sprints of a typed query's project", async () => {
          const backlogId = (await createAs(alice, { source: { kind: 'sprint', sprintId: 3 } })).body.backlog.id;
          const [key] = await tabKeys(backlogId, alice);
          const refused = await api(tokens.get(victor.oid), 'POST', `/backlogs/${backlogId}/sprint-moves`, { keys: [key], sprintId: 4 });
          assertTabError(refused, 403, 'forbidden', /Schedule Issues/);
          // KAN's only board is a kanban board; a saved filter names no board.
          const kanban = (await createAs(alice, { jql: 'project = KAN' })).body.backlog.id;
          assert.deepEqual((await api(tokens.get(alice.oid), 'GET', `/backlogs/${kanban}/sprints`)).body, { sprints: [] });
          const filter = (await createAs(alice, { source: { kind: 'filter', filterId: '10000' } })).body.backlog.id;
          assert.deepEqual((await api(tokens.get(alice.oid), 'GET', `/backlogs/${filter}/sprints`)).body, { sprints: [] });
          // A typed query naming PHX: the PHX scrum board's open sprints.
          const typed = (await createAs(alice, { jql: 'issuetype = Bug AND project = PHX' })).body.backlog.id;
          assert.deepEqual(
            (await api(tokens.get(alice.oid), 'GET', `/backlogs/${typed}/sprints`)).body.sprints.map((s: { id: number }) => s.id),
            [3, 4],
          );
          assertTabError(await api(tokens.get(alice.oid), 'POST', `/backlogs/${backlogId}/sprint-moves`, { keys: [], sprintId: 4 }), 400, 'badRequest');
        });
      });
    });
});
