import assert from 'node:assert/strict';
import { rateLimitScopes } from '../../src/jira/rate-limit-scopes';

describe('rateLimitScopes', () => {
  it('keys the burst limit by method and route template, so one issue key does not make a new endpoint', () => {
    assert.equal(rateLimitScopes('get', '/rest/api/3/issue/PHX-1').burst, 'burst GET /rest/api/3/issue/{issueIdOrKey}');
    assert.equal(rateLimitScopes('GET', '/rest/api/3/issue/10001').burst, 'burst GET /rest/api/3/issue/{issueIdOrKey}');
    assert.equal(rateLimitScopes('GET', '/rest/api/3/project/PHX').burst, 'burst GET /rest/api/3/project/{projectIdOrKey}');
    assert.equal(rateLimitScopes('GET', '/rest/api/3/project/search').burst, 'burst GET /rest/api/3/project/search');
    assert.equal(rateLimitScopes('GET', '/rest/agile/1.0/board/12/issue?jql=x').burst, 'burst GET /rest/agile/1.0/board/{id}/issue');
    assert.notEqual(rateLimitScopes('GET', '/rest/api/3/issue/PHX-1').burst, rateLimitScopes('PUT', '/rest/api/3/issue/PHX-1').burst);
  });

  it('gives writes to one issue their own scope, reads none, and every call the quota', () => {
    assert.equal(rateLimitScopes('PUT', '/rest/api/3/issue/phx-1').issueWrite, 'issue-write PHX-1');
    assert.equal(rateLimitScopes('POST', '/rest/api/3/issue/PHX-1/comment').issueWrite, 'issue-write PHX-1');
    assert.equal(rateLimitScopes('GET', '/rest/api/3/issue/PHX-1').issueWrite, undefined);
    assert.equal(rateLimitScopes('POST', '/rest/api/3/issue').issueWrite, undefined);
    assert.equal(rateLimitScopes('GET', '/rest/api/3/myself').quota, 'quota');
  });
});
