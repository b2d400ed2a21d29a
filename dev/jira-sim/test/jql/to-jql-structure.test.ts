import assert from 'node:assert/strict';
import { parseJql, toJqlStructure } from '../../src/jql';

describe('toJqlStructure', () => {
  it("renders clauses, operands and ORDER BY in Jira's parse shape", () => {
    const jql = 'summary ~ test AND (labels in (urgent, blocker) OR assignee = currentUser()) AND created > startOfMonth(-1M) ORDER BY updated DESC';
    assert.deepEqual(toJqlStructure(parseJql(jql)), {
      where: {
        operator: 'and',
        clauses: [
          { field: { name: 'summary', encodedName: 'summary' }, operator: '~', operand: { value: 'test', encodedValue: 'test' } },
          {
            operator: 'or',
            clauses: [
              {
                field: { name: 'labels', encodedName: 'labels' },
                operator: 'in',
                operand: {
                  values: [
                    { value: 'urgent', encodedValue: 'urgent' },
                    { value: 'blocker', encodedValue: 'blocker' },
                  ],
                  encodedOperand: '(urgent, blocker)',
                },
              },
              {
                field: { name: 'assignee', encodedName: 'assignee' },
                operator: '=',
                operand: { function: 'currentUser', arguments: [], encodedOperand: 'currentUser()' },
              },
            ],
          },
          {
            field: { name: 'created', encodedName: 'created' },
            operator: '>',
            operand: { function: 'startOfMonth', arguments: ['-1M'], encodedOperand: 'startOfMonth(-1M)' },
          },
        ],
      },
      orderBy: { fields: [{ field: { name: 'updated', encodedName: 'updated' }, direction: 'desc' }] },
    });
  });

  it('quotes what would not read back unquoted, and renders NOT and EMPTY', () => {
    const structure = toJqlStructure(parseJql('NOT "Story Points" in ("Service requests", EMPTY, "say \\"hi\\"", "and", start2)'));
    assert.deepEqual(structure, {
      where: {
        operator: 'not',
        clauses: [
          {
            field: { name: 'Story Points', encodedName: '"Story Points"' },
            operator: 'in',
            operand: {
              values: [
                { value: 'Service requests', encodedValue: '"Service requests"' },
                { keyword: 'empty' },
                { value: 'say "hi"', encodedValue: '"say \\"hi\\""' },
                { value: 'and', encodedValue: '"and"' },
                { value: 'start2', encodedValue: 'start2' },
              ],
              encodedOperand: '("Service requests", EMPTY, "say \\"hi\\"", "and", start2)',
            },
          },
        ],
      },
    });
  });

  it('renders blank JQL as an empty structure', () => {
    assert.deepEqual(toJqlStructure(parseJql('')), {});
  });

  it('encodes values that parse back to the same query', () => {
    const jql = 'labels in ("a b", "start", "x@y", "tab\\there", plain) AND summary ~ "\\"full screen\\""';
    const query = parseJql(jql);
    const where = toJqlStructure(query).where as {
      clauses: Array<{ field: { encodedName: string }; operator: string; operand: { encodedOperand?: string; encodedValue?: string } }>;
    };
    const rebuilt = where.clauses.map((c) => `${c.field.encodedName} ${c.operator} ${c.operand.encodedOperand ?? c.operand.encodedValue}`).join(' AND ');
    assert.deepEqual(parseJql(rebuilt), query);
  });
});
