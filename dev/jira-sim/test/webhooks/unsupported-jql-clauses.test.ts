import assert from 'node:assert/strict';
import { unsupportedJqlClauses } from '../../src/webhooks/unsupported-jql-clauses';

describe('unsupportedJqlClauses (dynamic webhook jqlFilter subset)', () => {
  for (const jql of [
    'project = ABC',
    'project IN (ABC, DEF) AND status = done',
    'issuetype != Bug OR assignee = currentUser()',
    'issueKey = ABC-1',
    'reporter not in (a, b) and status = "In ~ Progress"',
    'issue.property[my-key].flag = true',
    'cf[10014] = EPIC-1',
  ]) {
    it(`accepts ${jql}`, () => assert.deepEqual(unsupportedJqlClauses(jql), []));
  }

  it('names each unsupported field as Jira does', () => {
    assert.deepEqual(unsupportedJqlClauses('project = A AND watchCount > 1 AND summary ~ x'), ['The clause watchCount is unsupported', 'The clause summary is unsupported']);
  });

  it('rejects operators outside =, !=, IN and NOT IN', () => {
    assert.deepEqual(unsupportedJqlClauses('assignee IS EMPTY'), ['The operator IS is unsupported']);
    assert.deepEqual(unsupportedJqlClauses('status WAS Done'), ['The operator WAS is unsupported']);
  });

  it('rejects an empty filter', () => {
    assert.equal(unsupportedJqlClauses('  ').length, 1);
  });
});
