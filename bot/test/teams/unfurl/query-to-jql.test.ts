import assert from 'node:assert/strict';
import { queryToJql } from '../../../src/teams/unfurl/query-to-jql';

describe('queryToJql', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'assignee = currentUser() OR reporter = currentUser() OR watcher = currentUser() ORDER BY updated DESC'],
    ['   ', 'assignee = currentUser() OR reporter = currentUser() OR watcher = currentUser() ORDER BY updated DESC'],
    ['kan-12', 'key = KAN-12'],
    ['JQL: project = KAN AND status = Done', 'project = KAN AND status = Done'],
    ['jql:', ''],
    ['login fails', 'text ~ "login fails" ORDER BY updated DESC'],
    ['say "hi" \\ bye', 'text ~ "say \\"hi\\" \\\\ bye" ORDER BY updated DESC'],
  ];
  for (const [query, jql] of cases) {
    it(`${JSON.stringify(query)} -> ${jql || '(empty)'}`, () => assert.equal(queryToJql(query), jql));
  }
});
