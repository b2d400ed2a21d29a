import assert from 'node:assert/strict';
import { permissionForRequest } from '../../src/jira/permission-for-request';

describe('permissionForRequest', () => {
  const cases: Array<[string, string, string]> = [
    ['GET', '/rest/api/3/issue/ABC-1', 'Browse Projects'],
    ['POST', '/rest/api/3/issue', 'Create Issues'],
    ['PUT', '/rest/api/3/issue/ABC-1', 'Edit Issues'],
    ['POST', '/ex/jira/abc/rest/api/3/issue/ABC-1/transitions', 'Transition Issues'],
    ['POST', '/rest/api/3/issue/ABC-1/comment', 'Add Comments'],
    ['PUT', '/rest/api/3/issue/ABC-1/assignee', 'Assign Issues'],
    ['DELETE', '/rest/api/3/issue/ABC-1', 'Delete Issues'],
    ['PUT', '/rest/agile/1.0/issue/rank', 'Edit Issues'],
    ['POST', '/rest/api/3/search/jql', 'Browse Projects'],
  ];
  for (const [method, path, permission] of cases) {
    it(`${method} ${path} needs ${permission}`, () => {
      assert.equal(permissionForRequest(method, path), permission);
    });
  }
});
