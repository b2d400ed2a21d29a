import assert from 'node:assert/strict';
import type { JiraClient } from '../../../src/jira/create-jira-client';
import { findAssignableUsers } from '../../../src/jira/operations/users';
import { UNNAMED_PERSON } from '../../../src/jira/views/unnamed-person';

/** Jira's user search as profile visibility can answer it: some names withheld (null or absent), some users inactive. */
function jiraAnswering(users: Array<Record<string, unknown>>): JiraClient {
  return { v3: { userSearch: { findAssignableUsers: async () => users } } } as unknown as JiraClient;
}

describe('assignable users for the pickers', () => {
  it('lists a user whose name Jira withholds as someone, never by account id, and leaves inactive users out', async () => {
    const choices = await findAssignableUsers(
      jiraAnswering([
        { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Alice Admin', active: true, avatarUrls: { '48x48': 'https://avatar/a' } },
        { accountId: '712020:2f3c', displayName: null, active: true },
        { accountId: '712020:9a1b', active: true },
        { accountId: '712020:gone', displayName: 'Former Colleague', active: false },
      ]),
      { project: 'KAN' },
      { maxResults: 20 },
    );
    assert.deepEqual(choices, [
      { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Alice Admin', avatarUrl: 'https://avatar/a' },
      { accountId: '712020:2f3c', displayName: UNNAMED_PERSON },
      { accountId: '712020:9a1b', displayName: UNNAMED_PERSON },
    ]);
  });
});
