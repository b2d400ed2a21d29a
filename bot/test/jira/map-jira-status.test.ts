import assert from 'node:assert/strict';
import { JiraErrorCode } from '../../src/jira/jira-error';
import { jiraErrorMessage } from '../../src/jira/jira-error-message';
import { mapJiraStatus } from '../../src/jira/map-jira-status';

describe('mapJiraStatus and jiraErrorMessage', () => {
  const base = { method: 'GET', path: '/rest/api/3/issue/ABC-1', data: '' };

  it('401 asks the user to reconnect', () => {
    const error = mapJiraStatus({ ...base, status: 401 });
    assert.equal(error.code, JiraErrorCode.Unauthorized);
    assert.match(jiraErrorMessage(error), /reconnect/);
  });

  it('403 names the permission the operation needs', () => {
    const error = mapJiraStatus({ ...base, status: 403, method: 'POST', path: '/rest/api/3/issue/ABC-1/transitions' });
    assert.equal(error.code, JiraErrorCode.Forbidden);
    assert.match(jiraErrorMessage(error), /"Transition Issues" permission/);
  });

  it('404 says not found or no access', () => {
    assert.match(jiraErrorMessage(mapJiraStatus({ ...base, status: 404 })), /could not find that, or you do not have access/);
  });

  it("400 carries Jira's own text, errorMessages then field errors", () => {
    const data = JSON.stringify({
      errorMessages: ["Error in the JQL Query: Expecting operator but got 'foo'. (line 1, character 9)"],
      errors: { summary: 'You must specify a summary of the issue.' },
    });
    const error = mapJiraStatus({ ...base, status: 400, data });
    assert.equal(error.code, JiraErrorCode.BadRequest);
    assert.equal(
      jiraErrorMessage(error),
      "Jira rejected the request: Error in the JQL Query: Expecting operator but got 'foo'. (line 1, character 9) summary: You must specify a summary of the issue.",
    );
  });

  it('429 says when to try again', () => {
    const error = mapJiraStatus({ ...base, status: 429, retryAfterSeconds: 42 });
    assert.equal(jiraErrorMessage(error), 'Jira is busy, try again in 42 s.');
  });

  it('5xx says Jira is unavailable', () => {
    assert.equal(mapJiraStatus({ ...base, status: 503 }).code, JiraErrorCode.Unavailable);
  });
});
