import assert from 'node:assert/strict';
import { JqlError, parseJql, type JqlClause } from '../../src/jql';

function where(jql: string): JqlClause | undefined {
  return parseJql(jql).where;
}

function errorOf(jql: string): string[] {
  try {
    parseJql(jql);
  } catch (error) {
    assert.ok(error instanceof JqlError, `expected a JqlError, got ${String(error)}`);
    assert.deepEqual(error.errors, {});
    return error.errorMessages;
  }
  assert.fail(`expected ${jql} to be rejected`);
}

const OPERATORS_HELP =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS', 'IS NOT', 'WAS', 'WAS IN', 'WAS NOT', 'WAS NOT IN' and 'CHANGED'.";

describe('parseJql', () => {
  describe('blank and ORDER BY only', () => {
    for (const jql of ['', '   ', '\n\t']) {
      it(`treats ${JSON.stringify(jql)} as match-all`, () => {
        assert.deepEqual(parseJql(jql), { orderBy: [] });
      });
    }

    it('reads a bare ORDER BY', () => {
      assert.deepEqual(parseJql('order by rank'), { orderBy: [{ field: 'rank', direction: 'ASC' }] });
    });
  });

  describe('terminal clauses', () => {
    const cases: Array<[string, JqlClause]> = [
      ['project = ENG', term('project', 'project', '=', { kind: 'value', value: 'ENG', quoted: false })],
      ['PROJECT=ENG', term('project', 'PROJECT', '=', { kind: 'value', value: 'ENG', quoted: false })],
      ['status != "In Progress"', term('status', 'status', '!=', { kind: 'value', value: 'In Progress', quoted: true })],
      ["status = 'In Progress'", term('status', 'status', '=', { kind: 'value', value: 'In Progress', quoted: true })],
      ['priority >= High', term('priority', 'priority', '>=', { kind: 'value', value: 'High', quoted: false })],
      ['key < ENG-10', term('key', 'key', '<', { kind: 'value', value: 'ENG-10', quoted: false })],
      ['issuekey > ENG-10', term('key', 'issuekey', '>', { kind: 'value', value: 'ENG-10', quoted: false })],
      ['id <= 10002', term('key', 'id', '<=', { kind: 'value', value: '10002', quoted: false })],
      ['summary ~ crash', term('summary', 'summary', '~', { kind: 'value', value: 'crash', quoted: false })],
      ['summary !~ crash', term('summary', 'summary', '!~', { kind: 'value', value: 'crash', quoted: false })],
      ['assignee IS EMPTY', term('assignee', 'assignee', 'is', { kind: 'empty' })],
      ['assignee is not null', term('assignee', 'assignee', 'is not', { kind: 'empty' })],
      ['assignee = currentUser()', term('assignee', 'assignee', '=', { kind: 'function', name: 'currentUser', args: [] })],
      ['created > startOfDay(-1d)', term('created', 'created', '>', { kind: 'function', name: 'startOfDay', args: ['-1d'] })],
      ['created > startOfMonth(+1M)', term('created', 'created', '>', { kind: 'function', name: 'startOfMonth', args: ['+1M'] })],
      ['created >= -2d', term('created', 'created', '>=', { kind: 'value', value: '-2d', quoted: false })],
      ['createdDate >= "-1w 2d"', term('created', 'createdDate', '>=', { kind: 'value', value: '-1w 2d', quoted: true })],
      ['type = Bug', term('issuetype', 'type', '=', { kind: 'value', value: 'Bug', quoted: false })],
      ['"Story Points" > 3', term('storyPoints', 'Story Points', '>', { kind: 'value', value: '3', quoted: false })],
      ['cf[10016] > 3', term('storyPoints', 'cf[10016]', '>', { kind: 'value', value: '3', quoted: false })],
      ['sprint in openSprints()', term('sprint', 'sprint', 'in', { kind: 'function', name: 'openSprints', args: [] })],
      ['statusCategory = Done', term('statusCategory', 'statusCategory', '=', { kind: 'value', value: 'Done', quoted: false })],
      ['resolutiondate is empty', term('resolved', 'resolutiondate', 'is', { kind: 'empty' })],
      [
        'labels in (a, "b c", d)',
        term('labels', 'labels', 'in', {
          kind: 'list',
          items: [
            { kind: 'value', value: 'a', quoted: false },
            { kind: 'value', value: 'b c', quoted: true },
            { kind: 'value', value: 'd', quoted: false },
          ],
        }),
      ],
      [
        'assignee NOT IN (EMPTY, currentUser())',
        term('assignee', 'assignee', 'not in', {
          kind: 'list',
          items: [{ kind: 'empty' }, { kind: 'function', name: 'currentUser', args: [] }],
        }),
      ],
    ];
    for (const [jql, expected] of cases) {
      it(jql, () => assert.deepEqual(where(jql), expected));
    }
  });

  describe('quoting and escapes', () => {
    const cases: Array<[string, string]> = [
      ['summary ~ "say \\"hi\\""', 'say "hi"'],
      ["summary ~ 'it\\'s'", "it's"],
      ['summary ~ "a\\\\b"', 'a\\b'],
      ['summary ~ "tab\\there"', 'tab\there'],
      ['summary ~ "line\\nbreak"', 'line\nbreak'],
      ['summary ~ "\\u0040mention"', '@mention'],
      ['summary ~ "\\"full screen\\""', '"full screen"'],
      ["summary ~ 'double \" inside single'", 'double " inside single'],
      ['labels = a\\ b', 'a b'],
    ];
    for (const [jql, value] of cases) {
      it(`unescapes ${jql}`, () => {
        const clause = where(jql);
        assert.equal(clause?.kind === 'terminal' && clause.operand.kind === 'value' && clause.operand.value, value);
      });
    }

    it('accepts reserved words in quotes, and words that merely start like one', () => {
      assert.deepEqual(where('labels = "start"'), term('labels', 'labels', '=', { kind: 'value', value: 'start', quoted: true }));
      assert.deepEqual(where('labels = starting'), term('labels', 'labels', '=', { kind: 'value', value: 'starting', quoted: false }));
      assert.deepEqual(where('created > startOfDay()'), term('created', 'created', '>', { kind: 'function', name: 'startOfDay', args: [] }));
    });

    it('keeps quoted keywords as values', () => {
      assert.deepEqual(where('labels = "and"'), term('labels', 'labels', '=', { kind: 'value', value: 'and', quoted: true }));
      assert.deepEqual(where('labels = "empty"'), term('labels', 'labels', '=', { kind: 'value', value: 'empty', quoted: true }));
    });
  });

  describe('boolean structure', () => {
    const a = term('project', 'project', '=', { kind: 'value', value: 'A', quoted: false });
    const b = term('status', 'status', '=', { kind: 'value', value: 'B', quoted: false });
    const c = term('labels', 'labels', '=', { kind: 'value', value: 'C', quoted: false });

    const cases: Array<[string, JqlClause]> = [
      ['project = A AND status = B OR labels = C', { kind: 'or', clauses: [{ kind: 'and', clauses: [a, b] }, c] }],
      ['project = A OR status = B AND labels = C', { kind: 'or', clauses: [a, { kind: 'and', clauses: [b, c] }] }],
      ['project = A and (status = B or labels = C)', { kind: 'and', clauses: [a, { kind: 'or', clauses: [b, c] }] }],
      ['NOT project = A AND status = B', { kind: 'and', clauses: [{ kind: 'not', clause: a }, b] }],
      ['!project = A OR status = B', { kind: 'or', clauses: [{ kind: 'not', clause: a }, b] }],
      ['not (project = A or status = B)', { kind: 'not', clause: { kind: 'or', clauses: [a, b] } }],
      ['NOT NOT project = A', { kind: 'not', clause: { kind: 'not', clause: a } }],
      ['project = A && status = B || labels = C', { kind: 'or', clauses: [{ kind: 'and', clauses: [a, b] }, c] }],
      ['project = A AND status = B AND labels = C', { kind: 'and', clauses: [a, b, c] }],
      ['((project = A))', a],
    ];
    for (const [jql, expected] of cases) {
      it(jql, () => assert.deepEqual(where(jql), expected));
    }
  });

  describe('ORDER BY', () => {
    it('reads fields, directions and the ASC default', () => {
      assert.deepEqual(parseJql('project = A ORDER BY priority DESC, Rank asc, created').orderBy, [
        { field: 'priority', direction: 'DESC' },
        { field: 'rank', direction: 'ASC' },
        { field: 'created', direction: 'ASC' },
      ]);
    });

    it('maps aliases to one field id', () => {
      assert.deepEqual(parseJql('order by issuekey desc, "Story Points"').orderBy, [
        { field: 'key', direction: 'DESC' },
        { field: 'storyPoints', direction: 'ASC' },
      ]);
    });
  });

  describe('syntax errors, with Jira wording and position', () => {
    const cases: Array<[string, string]> = [
      ['project foo', `Error in the JQL Query: Expecting operator but got 'foo'. ${OPERATORS_HELP} (line 1, character 9)`],
      ['invalid query', `Error in the JQL Query: Expecting operator but got 'query'. ${OPERATORS_HELP} (line 1, character 9)`],
      ['project', `Error in the JQL Query: Expecting operator but got 'EOF'. ${OPERATORS_HELP} (line 1, character 8)`],
      ['project =', "Error in the JQL Query: Expecting either a value, list or function but got 'EOF'. (line 1, character 10)"],
      [
        'project = IN',
        "Error in the JQL Query: Expecting either a value, list or function but got 'IN'. You must surround 'IN' in quotation marks to use it as a value. (line 1, character 11)",
      ],
      [
        'labels in ()',
        "Error in the JQL Query: Expecting either a value, list or function but got ')'. You must surround ')' in quotation marks to use it as a value. (line 1, character 12)",
      ],
      ['summary ~ "abc', "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 11)"],
      ["summary ~ 'abc", "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 1, character 11)"],
      ['project = A\nAND summary ~ "abc', "Error in the JQL Query: The quoted string 'abc' has not been completed. (line 2, character 15)"],
      ['project = A status = B', "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 13)"],
      ['project = A AND', "Error in the JQL Query: Expecting a field name but got 'EOF'. (line 1, character 16)"],
      ['(project = A', "Error in the JQL Query: Expecting ')' but got 'EOF'. (line 1, character 13)"],
      ['labels in (a b)', "Error in the JQL Query: Expecting ')' but got 'b'. (line 1, character 14)"],
      ['project = A ORDER rank', "Error in the JQL Query: Expecting 'BY' but got 'rank'. (line 1, character 19)"],
      ['ORDER BY rank up', "Error in the JQL Query: Expecting either 'ASC' or 'DESC' but got 'up'. (line 1, character 15)"],
      [
        'summary ~ win*',
        "Error in the JQL Query: The character '*' is a reserved JQL character. You must enclose it in a string or use the escape '\\u002a' instead. (line 1, character 14)",
      ],
      [
        'assignee = bob@example.com',
        "Error in the JQL Query: The character '@' is a reserved JQL character. You must enclose it in a string or use the escape '\\u0040' instead. (line 1, character 15)",
      ],
      ['labels = start', "Error in the JQL Query: The word 'start' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)"],
      ['date = 1', "Error in the JQL Query: The word 'date' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 1)"],
      ['ORDER BY User', "Error in the JQL Query: The word 'User' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 10)"],
      [
        'summary ~ "a\\qb"',
        "Error in the JQL Query: '\\q' is an illegal JQL escape sequence. The valid escape sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX. (line 1, character 13)",
      ],
    ];
    for (const [jql, message] of cases) {
      it(JSON.stringify(jql), () => assert.deepEqual(errorOf(jql), [message]));
    }
  });

  describe('hostile input', () => {
    it('accepts nesting as deep as anyone writes', () => {
      assert.equal(where(`${'('.repeat(150)}project = A${')'.repeat(150)}`)?.kind, 'terminal');
    });

    it('refuses nesting that would overflow the stack, as a JqlError', () => {
      assert.deepEqual(errorOf(`${'('.repeat(5000)}project = A${')'.repeat(5000)}`), ['Error in the JQL Query: The query is nested too deeply. (line 1, character 201)']);
      assert.match(errorOf(`${'NOT '.repeat(20000)}project = A`)[0], /nested too deeply/);
    });
  });

  describe('unknown and unsortable fields', () => {
    it('names a field that does not exist', () => {
      assert.deepEqual(errorOf('universe = 42'), ["Field 'universe' does not exist or you do not have permission to view it."]);
    });

    it('names every unknown field, in ORDER BY too', () => {
      assert.deepEqual(errorOf('foo = 1 AND "Bar Baz" = 2 ORDER BY qux'), [
        "Field 'foo' does not exist or you do not have permission to view it.",
        "Field 'Bar Baz' does not exist or you do not have permission to view it.",
        "Field 'qux' does not exist or you do not have permission to view it.",
      ]);
    });

    it('reports syntax before unknown fields', () => {
      assert.match(errorOf('foo bar')[0], /^Error in the JQL Query: Expecting operator but got 'bar'/);
    });

    // `watchers` (a count) and `category` (project category) are other Jira fields, not aliases.
    for (const name of ['watchers', 'category', 'label']) {
      it(`does not take ${name} for a field it is not`, () => {
        assert.deepEqual(errorOf(`${name} = x`), [`Field '${name}' does not exist or you do not have permission to view it.`]);
      });
    }

    it('refuses to sort by a text field', () => {
      assert.deepEqual(errorOf('ORDER BY description'), ["Not able to sort using field 'description'."]);
    });

    it('refuses the same sort field twice', () => {
      assert.deepEqual(errorOf('ORDER BY key, issuekey DESC'), ["The sort field 'issuekey' is referenced multiple times in the JQL sort."]);
    });
  });
});

function term(
  field: Extract<JqlClause, { kind: 'terminal' }>['field'],
  fieldName: string,
  operator: Extract<JqlClause, { kind: 'terminal' }>['operator'],
  operand: Extract<JqlClause, { kind: 'terminal' }>['operand'],
): JqlClause {
  return { kind: 'terminal', field, fieldName, operator, operand };
}
