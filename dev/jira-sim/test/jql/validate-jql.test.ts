import assert from 'node:assert/strict';
import { JqlError, parseJql, validateJql, type JqlCatalog } from '../../src/jql';
import { alice, bob } from './build-jql-issue';

const catalog: JqlCatalog = {
  projects: [
    { key: 'ENG', name: 'Engineering' },
    { key: 'OPS', name: 'Operations' },
  ],
  statuses: ['To Do', 'In Progress', { id: '3', name: 'Done' }],
  resolutions: ['Done', "Won't Do"],
  priorities: ['Highest', 'High', 'Medium', 'Low', 'Lowest'],
  issueTypes: ['Bug', 'Story', { id: '10004', name: 'Task' }],
  users: [alice, bob],
  sprints: [{ id: 7, name: 'ENG Sprint 7' }],
};

function problemsOf(jql: string, against: JqlCatalog = catalog): string[] {
  try {
    validateJql(parseJql(jql), against);
  } catch (error) {
    assert.ok(error instanceof JqlError);
    return error.errorMessages;
  }
  return [];
}

describe('validateJql', () => {
  describe('accepts what exists', () => {
    const valid = [
      '',
      'project = ENG AND project in (engineering, "Operations")',
      'status in ("to do", Done) AND statusCategory != done AND statusCategory in (2, "In Progress")',
      'priority > Low AND priority in (High, highest)',
      'issuetype = bug OR type = Story',
      `assignee = ${alice.accountId} OR assignee = "Bob Brown" OR reporter = "alice@example.com"`,
      'assignee in (currentUser(), EMPTY) OR watcher = currentUser()',
      'assignee is empty AND priority is not null',
      'labels = anything-goes AND labels not in (x, y)',
      'summary ~ "crash*" AND description !~ foo AND text ~ "\\"full screen\\"" AND comment ~ bar',
      'created >= -2d AND updated < "2024/01/31 10:00" AND resolved is EMPTY AND created > startOfDay(-1)',
      'created in ("2024-01-31", -1w) AND created <= endOfMonth("-1M")',
      'key = ENG-1 OR key in (ENG-2, OPS-3) OR key > ENG-10 OR id = 10001',
      '"Story Points" >= 3 AND cf[10016] in (1, 2.5)',
      'sprint in openSprints() OR sprint = "ENG Sprint 7" OR sprint = 7',
      'project = ENG ORDER BY rank, priority DESC',
      'status = 3 AND issuetype in (10004, task) AND status = done',
      'parent = ENG-5 AND resolution = Unresolved OR resolution in ("won\'t do", done) AND duedate < 1w',
    ];
    for (const jql of valid) {
      it(jql || '(blank)', () => assert.deepEqual(problemsOf(jql), []));
    }
  });

  describe("rejects, in Jira's words", () => {
    const cases: Array<[string, string[]]> = [
      ['project = XYZ', ["The value 'XYZ' does not exist for the field 'project'."]],
      ['project in (ENG, XYZ, "No Such")', ["The value 'XYZ' does not exist for the field 'project'.", "The value 'No Such' does not exist for the field 'project'."]],
      ['status = Closed', ["The value 'Closed' does not exist for the field 'status'."]],
      ['statusCategory = Blocked', ["The value 'Blocked' does not exist for the field 'statusCategory'."]],
      ['priority > Urgent', ["The value 'Urgent' does not exist for the field 'priority'."]],
      ['type = Epic', ["The value 'Epic' does not exist for the field 'type'."]],
      ['assignee = carol', ["The value 'carol' does not exist for the field 'assignee'."]],
      ['reporter != "carol@example.com"', ["The value 'carol@example.com' does not exist for the field 'reporter'."]],
      ['sprint = "Sprint 99"', ["The value 'Sprint 99' does not exist for the field 'sprint'."]],
      ['key = ENG', ["The issue key 'ENG' for field 'key' is invalid."]],
      ['parent = 12', ["The issue key '12' for field 'parent' is invalid."]],
      ['resolution = Fixed', ["The value 'Fixed' does not exist for the field 'resolution'."]],
      ['status = 4', ["The value '4' does not exist for the field 'status'."]],
      [
        'duedate > someday',
        [
          "Date value 'someday' for field 'duedate' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
        ],
      ],
      [
        'created > yesterday',
        [
          "Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
        ],
      ],
      ['"Story Points" > many', ["Value 'many' is invalid for the 'Story Points' field."]],
      ['summary = test', ["The operator '=' is not supported by the 'summary' field."]],
      ['summary in test', ["Operator 'in' does not support the non-list value '\"test\"' for field 'summary'."]],
      ['status in Done', ["Operator 'in' does not support the non-list value '\"Done\"' for field 'status'."]],
      ['status = (Done, "To Do")', ["Operator '=' does not support the list value '(Done, \"To Do\")' for field 'status'."]],
      ['status ~ Done', ["The operator '~' is not supported by the 'status' field."]],
      ['assignee ~ alice', ["The operator '~' is not supported by the 'assignee' field."]],
      ['labels > a', ["The operator '>' is not supported by the 'labels' field."]],
      ['project < ENG', ["The operator '<' is not supported by the 'project' field."]],
      ['text !~ foo', ["The operator '!~' is not supported by the 'text' field."]],
      ['rank = 1', ["The operator '=' is not supported by the 'rank' field."]],
      ['created ~ "2024"', ["The operator '~' is not supported by the 'created' field."]],
      ['status is empty', ["The field 'status' does not support searching for EMPTY values."]],
      ['project = EMPTY', ["The field 'project' does not support searching for EMPTY values."]],
      ['assignee is bob', ["The operator 'is' only supports searching for EMPTY values for field 'assignee'."]],
      ['priority > EMPTY', ["The operator '>' does not support searching for EMPTY values."]],
      ['assignee = nobody()', ["Unable to find JQL function 'nobody()'."]],
      ['status = currentUser()', ["A value provided by the function 'currentUser' is invalid for the field 'status'."]],
      ['created > currentUser()', ["A value provided by the function 'currentUser' is invalid for the field 'created'."]],
      ['assignee = currentUser(1)', ["Function 'currentUser' expected '0' arguments but got '1'."]],
      ['created > startOfDay(banana)', ["The function 'startOfDay' has an invalid argument 'banana'."]],
      ['summary ~ "*crash"', ["The text query '*crash' for field 'summary' is not valid: probably your use of wildcards is incorrect."]],
      [
        'project = XYZ AND (status = Closed OR NOT labels > x)',
        [
          "The value 'XYZ' does not exist for the field 'project'.",
          "The value 'Closed' does not exist for the field 'status'.",
          "The operator '>' is not supported by the 'labels' field.",
        ],
      ],
    ];
    for (const [jql, messages] of cases) {
      it(jql, () => assert.deepEqual(problemsOf(jql), messages));
    }

    it('reports a repeated problem once', () => {
      assert.deepEqual(problemsOf('project = XYZ OR project = XYZ'), ["The value 'XYZ' does not exist for the field 'project'."]);
    });
  });

  it('checks status categories against the catalog when it lists them', () => {
    const custom = { ...catalog, statusCategories: [{ key: 'new', name: 'Backlog', id: 2 }] };
    assert.deepEqual(problemsOf('statusCategory = Backlog', custom), []);
    assert.deepEqual(problemsOf('statusCategory = "To Do"', custom), ["The value 'To Do' does not exist for the field 'statusCategory'."]);
  });

  it('accepts any sprint when the catalog lists none', () => {
    assert.deepEqual(problemsOf('sprint = "Sprint 99"', { ...catalog, sprints: undefined }), []);
  });
});
