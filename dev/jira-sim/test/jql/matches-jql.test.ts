import assert from 'node:assert/strict';
import { matchesJql, parseJql, type JqlContext, type JqlIssue } from '../../src/jql';
import { alice, bob, buildJqlIssue } from './build-jql-issue';

// A Sunday, so week boundaries are easy to read.
const now = new Date('2026-03-15T12:00:00Z');
const ctx: JqlContext = { currentAccountId: alice.accountId, now };

type Case = [jql: string, overrides: Partial<JqlIssue>, expected: boolean];

function table(title: string, cases: Case[], context: JqlContext = ctx): void {
  describe(title, () => {
    for (const [jql, overrides, expected] of cases) {
      const label = `${jql} ${Object.keys(overrides).length ? JSON.stringify(overrides) : ''} -> ${expected}`;
      it(label, () => assert.equal(matchesJql(parseJql(jql), buildJqlIssue(overrides), context), expected));
    }
  });
}

describe('matchesJql', () => {
  it('matches everything for blank JQL', () => {
    assert.equal(matchesJql(parseJql(''), buildJqlIssue(), ctx), true);
    assert.equal(matchesJql(parseJql('ORDER BY rank'), buildJqlIssue(), ctx), true);
  });

  table('project (key or name, any case)', [
    ['project = ENG', {}, true],
    ['project = eng', {}, true],
    ['project = Engineering', {}, true],
    ['project = "engineering"', {}, true],
    ['project = OPS', {}, false],
    ['project != OPS', {}, true],
    ['project in (OPS, Engineering)', {}, true],
    ['project not in (OPS, ENG)', {}, false],
  ]);

  table('key, issuekey and id', [
    ['key = ENG-1', {}, true],
    ['key = eng-1', {}, true],
    ['issuekey = ENG-2', {}, false],
    ['key in (ENG-2, ENG-1)', {}, true],
    ['key not in (ENG-2, ENG-1)', {}, false],
    ['key > ENG-9', { key: 'ENG-10' }, true],
    ['key > ENG-10', { key: 'ENG-9' }, false],
    ['key >= ENG-10', { key: 'ENG-10' }, true],
    ['key < ENG-10', { key: 'ENG-9' }, true],
    ['key <= ENG-9', { key: 'ENG-10' }, false],
    ['key > ABC-1', { key: 'ENG-10' }, false],
    ['key < ZZZ-99', { key: 'ENG-10' }, false],
    ['id = 10001', {}, true],
    ['id > 10000', {}, true],
    ['id < 10001', {}, false],
    ['id = ENG-1', {}, true],
  ]);

  table('status and issue type by name, any case', [
    ['status = "In Progress"', {}, true],
    ['status = "in progress"', {}, true],
    ['status = Done', {}, false],
    ['status != Done', {}, true],
    ['status in ("To Do", "In Progress")', {}, true],
    ['status not in ("To Do", "In Progress")', {}, false],
    ['issuetype = bug', {}, true],
    ['type = Story', {}, false],
    ['type in (Story, Bug)', {}, true],
  ]);

  table('statusCategory by key, name or id', [
    ['statusCategory = indeterminate', {}, true],
    ['statusCategory = "In Progress"', {}, true],
    ['statusCategory = 4', {}, true],
    ['statusCategory = Done', {}, false],
    ['statusCategory != Done', {}, true],
    ['statusCategory in ("To Do", done)', { statusCategoryKey: 'done', statusCategoryName: 'Done' }, true],
  ]);

  table('priority, compared in rank order', [
    ['priority = high', {}, true],
    ['priority > Low', {}, true],
    ['priority > High', {}, false],
    ['priority >= High', {}, true],
    ['priority < Medium', {}, false],
    ['priority <= Highest', {}, true],
    ['priority > Lowest', { priorityName: 'Low' }, true],
    ['priority < Medium', { priorityName: 'Lowest' }, true],
    ['priority is EMPTY', { priorityName: null }, true],
    ['priority > Low', { priorityName: null }, false],
    ['priority != High', { priorityName: null }, false],
    ['priority > Unknown', {}, false],
  ]);

  table(
    'priority with a site order',
    [
      ['priority > P3', { priorityName: 'P2' }, true],
      ['priority > P2', { priorityName: 'P2' }, false],
      ['priority < P1', { priorityName: 'P2' }, true],
    ],
    { ...ctx, priorityOrder: ['P1', 'P2', 'P3'] },
  );

  table('users: accountId, display name, email, currentUser()', [
    ['assignee = currentUser()', {}, true],
    ['assignee = currentUser()', { assignee: bob }, false],
    ['assignee != currentUser()', { assignee: bob }, true],
    ['reporter = currentUser()', {}, false],
    [`assignee = ${alice.accountId}`, {}, true],
    ['assignee = "alice adams"', {}, true],
    ['assignee = "ALICE@example.com"', {}, true],
    ['assignee = "Bob Brown"', {}, false],
    ['assignee in ("Bob Brown", currentUser())', {}, true],
    ['assignee not in ("Bob Brown", currentUser())', {}, false],
    ['watcher = currentUser()', {}, false],
    [`watcher = ${bob.accountId}`, {}, true],
    ['watcher is empty', { watchers: [] }, true],
    ['watcher = "bob brown"', {}, false],
    ['watcher = "bob brown"', { watchers: [alice.accountId, bob] }, true],
    ['watcher in ("bob@example.com")', { watchers: [bob] }, true],
    ['watcher = currentUser()', { watchers: [bob, alice] }, true],
    ['watcher != currentUser()', { watchers: [bob] }, true],
    ['watcher is empty', { watchers: undefined }, true],
  ]);

  it('matches no one for currentUser() when the caller is anonymous', () => {
    const anonymous = { now };
    assert.equal(matchesJql(parseJql('assignee = currentUser()'), buildJqlIssue(), anonymous), false);
    assert.equal(matchesJql(parseJql('assignee != currentUser()'), buildJqlIssue(), anonymous), true);
  });

  table("EMPTY, NULL and Jira's rule that negations skip empty fields", [
    ['assignee is EMPTY', { assignee: null }, true],
    ['assignee IS NULL', {}, false],
    ['assignee is not empty', {}, true],
    ['assignee is not empty', { assignee: null }, false],
    ['assignee = EMPTY', { assignee: null }, true],
    ['assignee = null', {}, false],
    ['assignee != EMPTY', {}, true],
    ['assignee != EMPTY', { assignee: null }, false],
    ['assignee in (EMPTY, "bob@example.com")', { assignee: null }, true],
    ['assignee in (EMPTY, "bob@example.com")', { assignee: bob }, true],
    ['assignee in (EMPTY, "bob@example.com")', {}, false],
    ['assignee not in (EMPTY, "bob@example.com")', {}, true],
    ['assignee not in (EMPTY, "bob@example.com")', { assignee: null }, false],
    ['assignee != "Bob Brown"', {}, true],
    ['assignee != "Bob Brown"', { assignee: null }, false],
    ['assignee not in ("Bob Brown")', { assignee: null }, false],
    ['NOT assignee = "Bob Brown"', { assignee: null }, false],
    ['NOT assignee = "Bob Brown"', {}, true],
    ['NOT assignee is EMPTY', { assignee: null }, false],
    ['NOT assignee is EMPTY', {}, true],
    ['NOT NOT assignee = "Alice Adams"', {}, true],
    ['labels is empty', { labels: [] }, true],
    ['labels != urgent', { labels: [] }, false],
    ['resolved is empty', {}, true],
    ['resolved is not empty', { resolved: now }, true],
    ['"Story Points" is empty', { storyPoints: null }, true],
    ['description is empty', { descriptionText: '  ' }, true],
    ['description is not empty', {}, true],
    ['sprint is empty', { sprint: null }, true],
    ['sprint is empty', { sprint: [] }, true],
  ]);

  table("labels: any of the issue's labels", [
    ['labels = urgent', {}, true],
    ['labels = URGENT', {}, true],
    ['labels = backend', {}, false],
    ['labels != backend', {}, true],
    ['labels != urgent', {}, false],
    ['labels in (backend, frontend)', {}, true],
    ['labels not in (backend, frontend)', {}, false],
    ['labels not in (backend, ops)', {}, true],
  ]);

  table('story points', [
    ['"Story Points" = 3', {}, true],
    ['"story points" > 2', {}, true],
    ['cf[10016] >= 3.5', {}, false],
    ['cf[10016] < 5', {}, true],
    ['"Story Points" in (1, 2, 3)', {}, true],
    ['"Story Points" != 3', {}, false],
    ['"Story Points" > 1', { storyPoints: null }, false],
    ['"Story Points" > abc', {}, false],
  ]);

  table('sprint', [
    ['sprint = 7', {}, true],
    ['sprint = "eng sprint 7"', {}, true],
    ['sprint in openSprints()', {}, true],
    ['sprint in closedSprints()', {}, false],
    [
      'sprint in closedSprints()',
      {
        sprint: [
          { id: 6, name: 'ENG Sprint 6', state: 'closed' },
          { id: 7, name: 'ENG Sprint 7', state: 'active' },
        ],
      },
      true,
    ],
    ['sprint not in openSprints()', { sprint: null }, false],
    ['sprint in futureSprints()', { sprint: { id: 8, name: 'Next', state: 'future' } }, true],
  ]);

  table('boolean logic and precedence', [
    ['project = ENG AND status = Done', {}, false],
    ['project = ENG OR status = Done', {}, true],
    ['project = OPS AND status = Done OR labels = urgent', {}, true],
    ['project = OPS AND (status = Done OR labels = urgent)', {}, false],
    ['NOT project = OPS AND labels = urgent', {}, true],
    ['NOT (project = ENG AND labels = urgent)', {}, false],
    ['NOT (project = OPS OR labels = backend)', {}, true],
    ['!(project = OPS) && labels = urgent', {}, true],
    ['NOT (assignee = "Bob Brown" OR labels = backend)', { assignee: null }, false],
  ]);

  table('ids, when the adapter supplies them', [
    ['project = 10000', { projectId: '10000' }, true],
    ['project = 10001', { projectId: '10000' }, false],
    ['status = 3', { statusId: '3' }, true],
    ['status in (1, 3)', {}, false],
    ['priority = 2', { priorityId: '2' }, true],
    ['issuetype = 10004', { issueTypeId: '10004' }, true],
  ]);

  table('parent', [
    ['parent = ENG-5', { parentKey: 'ENG-5' }, true],
    ['parent = eng-5', { parentKey: 'ENG-5' }, true],
    ['parent in (ENG-4, ENG-6)', { parentKey: 'ENG-5' }, false],
    ['parent is empty', {}, true],
    ['parent != ENG-5', { parentKey: null }, false],
  ]);

  table('resolution, with Unresolved meaning empty', [
    ['resolution = Unresolved', {}, true],
    ['resolution = unresolved', { resolved: now }, false],
    ['resolution is EMPTY', {}, true],
    ['resolution != Unresolved', { resolved: now }, true],
    ['resolution = Done', { resolved: now }, true],
    ['resolution = Done', { resolved: now, resolutionName: "Won't Do" }, false],
    ['resolution = "won\'t do"', { resolved: now, resolutionName: "Won't Do" }, true],
    ['resolution in (Unresolved, Duplicate)', { resolutionName: 'Duplicate' }, true],
    ['resolution != Duplicate', {}, false],
  ]);

  table('due date', [
    ['duedate = "2026-03-20"', { dueDate: new Date('2026-03-20T00:00:00Z') }, true],
    ['due < now()', { dueDate: new Date('2026-03-14T00:00:00Z') }, true],
    ['duedate <= endOfWeek()', { dueDate: new Date('2026-03-21T00:00:00Z') }, true],
    ['duedate <= endOfWeek()', { dueDate: new Date('2026-03-22T00:00:00Z') }, false],
    ['duedate is empty', {}, true],
    ['duedate > -1d', { dueDate: null }, false],
  ]);

  const closedSprint = { id: 6, name: 'ENG Sprint 6', state: 'closed' as const };
  table('queries users and boards really write', [
    ['project = ENG AND sprint in openSprints() AND statusCategory != Done ORDER BY Rank ASC', {}, true],
    ['project = ENG AND (sprint is EMPTY OR sprint not in (openSprints(), futureSprints())) ORDER BY Rank', {}, false],
    ['project = ENG AND (sprint is EMPTY OR sprint not in (openSprints(), futureSprints())) ORDER BY Rank', { sprint: null }, true],
    ['project = ENG AND (sprint is EMPTY OR sprint not in (openSprints(), futureSprints())) ORDER BY Rank', { sprint: [closedSprint] }, true],
    ['assignee = currentUser() AND resolution = Unresolved ORDER BY priority DESC, updated DESC', {}, true],
    ['assignee = currentUser() AND resolution = Unresolved', { resolved: now }, false],
    ['reporter = currentUser() AND created >= -1w', { reporter: alice, created: new Date('2026-03-10T00:00:00Z') }, true],
    ['text ~ "full screen*" AND type = Bug AND priority >= High', {}, true],
    ['project in (ENG, OPS) AND labels in (urgent) AND status not in (Done, "Won\'t Do")', {}, true],
    ['watcher = currentUser() OR assignee = currentUser() OR reporter = currentUser()', {}, true],
  ]);

  table('operators a field does not support match nothing', [
    ['rank = x', {}, false],
    ['assignee is "Bob Brown"', {}, false],
    ['assignee is not "Bob Brown"', {}, false],
    ['NOT assignee is "Bob Brown"', {}, false],
    ['text !~ crash', {}, false],
  ]);
});
