import type { JqlIssue, JqlUser } from '../../src/jql';

export const alice: JqlUser = { accountId: '5b10a2844c20165700ede21g', displayName: 'Alice Adams', emailAddress: 'alice@example.com' };
export const bob: JqlUser = { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Bob Brown', emailAddress: 'bob@example.com' };

/** A typical open issue; tests override only what they are about. */
export function buildJqlIssue(overrides: Partial<JqlIssue> = {}): JqlIssue {
  return {
    id: '10001',
    key: 'ENG-1',
    projectKey: 'ENG',
    projectName: 'Engineering',
    summary: 'Login page crashes in full screen mode',
    descriptionText: 'Steps: open the login page, press F11.',
    commentTexts: ['Reproduced on Windows 11', 'Also on macOS'],
    statusName: 'In Progress',
    statusCategoryKey: 'indeterminate',
    statusCategoryName: 'In Progress',
    priorityName: 'High',
    issueTypeName: 'Bug',
    assignee: alice,
    reporter: bob,
    labels: ['frontend', 'urgent'],
    created: new Date('2026-03-10T09:30:00Z'),
    updated: new Date('2026-03-14T16:00:00Z'),
    resolved: null,
    rank: '0|i0000f:',
    storyPoints: 3,
    sprint: { id: 7, name: 'ENG Sprint 7', state: 'active' },
    watchers: [bob.accountId],
    ...overrides,
  };
}
