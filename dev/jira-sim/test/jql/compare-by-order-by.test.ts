import assert from 'node:assert/strict';
import { compareByOrderBy, DEFAULT_JQL_ORDER_BY, parseJql, type JqlContext, type JqlIssue } from '../../src/jql';
import { alice, bob, buildJqlIssue } from './build-jql-issue';

const ctx: JqlContext = { now: new Date('2026-03-18T12:00:00Z') };

function sortKeys(jql: string, issues: JqlIssue[], context: JqlContext = ctx): string[] {
  // Reverse first so a passing test does not depend on the input already being in order.
  return [...issues]
    .reverse()
    .sort(compareByOrderBy(parseJql(jql).orderBy, context))
    .map((i) => i.key);
}

const day = (d: number) => new Date(Date.UTC(2026, 2, d));

describe('compareByOrderBy', () => {
  it('defaults to created DESC, then key DESC', () => {
    assert.deepEqual(DEFAULT_JQL_ORDER_BY, [
      { field: 'created', direction: 'DESC' },
      { field: 'key', direction: 'DESC' },
    ]);
    const issues = [
      buildJqlIssue({ key: 'ENG-1', created: day(1) }),
      buildJqlIssue({ key: 'ENG-2', created: day(3) }),
      buildJqlIssue({ key: 'ENG-3', created: day(3) }),
      buildJqlIssue({ key: 'ENG-4', created: day(2) }),
    ];
    assert.deepEqual(sortKeys('project = ENG', issues), ['ENG-3', 'ENG-2', 'ENG-4', 'ENG-1']);
  });

  it('sorts keys by project, then numerically', () => {
    const issues = ['ENG-10', 'ENG-9', 'ABC-100', 'ENG-1'].map((key) => buildJqlIssue({ key }));
    assert.deepEqual(sortKeys('ORDER BY key', issues), ['ABC-100', 'ENG-1', 'ENG-9', 'ENG-10']);
    assert.deepEqual(sortKeys('ORDER BY issuekey DESC', issues), ['ENG-10', 'ENG-9', 'ENG-1', 'ABC-100']);
  });

  it('sorts by rank as plain string order, ties by key DESC', () => {
    const issues = [
      buildJqlIssue({ key: 'ENG-1', rank: '0|i0000b:' }),
      buildJqlIssue({ key: 'ENG-2', rank: '0|i00008:' }),
      buildJqlIssue({ key: 'ENG-3', rank: '0|i0000b:' }),
      buildJqlIssue({ key: 'ENG-4', rank: '0|hzzzzz:' }),
    ];
    assert.deepEqual(sortKeys('ORDER BY Rank ASC', issues), ['ENG-4', 'ENG-2', 'ENG-3', 'ENG-1']);
    assert.deepEqual(sortKeys('ORDER BY rank DESC', issues), ['ENG-3', 'ENG-1', 'ENG-2', 'ENG-4']);
  });

  it('sorts priority by urgency, empty last ascending and first descending', () => {
    const issues = [
      buildJqlIssue({ key: 'ENG-1', priorityName: 'Low' }),
      buildJqlIssue({ key: 'ENG-2', priorityName: null }),
      buildJqlIssue({ key: 'ENG-3', priorityName: 'Highest' }),
      buildJqlIssue({ key: 'ENG-4', priorityName: 'Medium' }),
    ];
    assert.deepEqual(sortKeys('ORDER BY priority DESC', issues), ['ENG-2', 'ENG-3', 'ENG-4', 'ENG-1']);
    assert.deepEqual(sortKeys('ORDER BY priority ASC', issues), ['ENG-1', 'ENG-4', 'ENG-3', 'ENG-2']);
    const siteOrder = { ...ctx, priorityOrder: ['Medium', 'Low', 'Highest'] };
    assert.deepEqual(sortKeys('ORDER BY priority DESC', issues, siteOrder), ['ENG-2', 'ENG-4', 'ENG-1', 'ENG-3']);
  });

  it('breaks ties on the first field with the next, then key DESC', () => {
    const issues = [
      buildJqlIssue({ key: 'ENG-1', statusName: 'Done', created: day(1) }),
      buildJqlIssue({ key: 'ENG-2', statusName: 'To Do', created: day(1) }),
      buildJqlIssue({ key: 'ENG-3', statusName: 'Done', created: day(2) }),
      buildJqlIssue({ key: 'ENG-4', statusName: 'To Do', created: day(1) }),
    ];
    assert.deepEqual(sortKeys('ORDER BY status, created DESC', issues), ['ENG-3', 'ENG-1', 'ENG-4', 'ENG-2']);
  });

  const fieldCases: Array<[string, Array<Partial<JqlIssue>>, string[]]> = [
    [
      'ORDER BY assignee',
      [
        { key: 'ENG-1', assignee: bob },
        { key: 'ENG-2', assignee: null },
        { key: 'ENG-3', assignee: alice },
      ],
      ['ENG-3', 'ENG-1', 'ENG-2'],
    ],
    [
      'ORDER BY resolved DESC',
      [
        { key: 'ENG-1', resolved: day(2) },
        { key: 'ENG-2', resolved: null },
        { key: 'ENG-3', resolved: day(5) },
      ],
      ['ENG-2', 'ENG-3', 'ENG-1'],
    ],
    [
      'ORDER BY updated',
      [
        { key: 'ENG-1', updated: day(9) },
        { key: 'ENG-2', updated: day(4) },
      ],
      ['ENG-2', 'ENG-1'],
    ],
    [
      'ORDER BY "Story Points" DESC',
      [
        { key: 'ENG-1', storyPoints: 2 },
        { key: 'ENG-2', storyPoints: 13 },
        { key: 'ENG-3', storyPoints: 5 },
      ],
      ['ENG-2', 'ENG-3', 'ENG-1'],
    ],
    [
      'ORDER BY statusCategory',
      [
        { key: 'ENG-1', statusCategoryKey: 'done' },
        { key: 'ENG-2', statusCategoryKey: 'new' },
        { key: 'ENG-3', statusCategoryKey: 'indeterminate' },
      ],
      ['ENG-2', 'ENG-3', 'ENG-1'],
    ],
    [
      'ORDER BY summary, project DESC',
      [
        { key: 'ENG-1', summary: 'b' },
        { key: 'OPS-1', projectKey: 'OPS', summary: 'A' },
        { key: 'ENG-2', summary: 'a' },
      ],
      ['OPS-1', 'ENG-2', 'ENG-1'],
    ],
    [
      'ORDER BY type, reporter',
      [
        { key: 'ENG-1', issueTypeName: 'Task' },
        { key: 'ENG-2', issueTypeName: 'Bug', reporter: bob },
        { key: 'ENG-3', issueTypeName: 'Bug', reporter: alice },
      ],
      ['ENG-3', 'ENG-2', 'ENG-1'],
    ],
    ['ORDER BY duedate', [{ key: 'ENG-1', dueDate: day(9) }, { key: 'ENG-2' }, { key: 'ENG-3', dueDate: day(2) }], ['ENG-3', 'ENG-1', 'ENG-2']],
    ['ORDER BY resolution', [{ key: 'ENG-1', resolutionName: "Won't Do" }, { key: 'ENG-2' }, { key: 'ENG-3', resolved: day(2) }], ['ENG-3', 'ENG-1', 'ENG-2']],
    [
      'ORDER BY sprint',
      [
        { key: 'ENG-1', sprint: { id: 9, name: 'S9', state: 'future' } },
        { key: 'ENG-2', sprint: null },
        { key: 'ENG-3', sprint: { id: 3, name: 'S3', state: 'closed' } },
      ],
      ['ENG-3', 'ENG-1', 'ENG-2'],
    ],
  ];
  for (const [jql, overrides, expected] of fieldCases) {
    it(jql, () =>
      assert.deepEqual(
        sortKeys(
          jql,
          overrides.map((o) => buildJqlIssue(o)),
        ),
        expected,
      ),
    );
  }
});
