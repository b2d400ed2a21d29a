/**
 * The demo site's people. Credentials are deterministic and public on purpose: they only open
 * a local simulator. main.ts prints them; README.md lists them.
 */
import type { PermissionKey, SimUser } from './site-model';

function user(n: number, first: string, last: string, siteAdmin = false, profile: Pick<SimUser, 'emailVisible' | 'publicName' | 'nameWithheld'> = {}): SimUser {
  const handle = first.toLowerCase();
  return {
    accountId: `712020:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    displayName: `${first} ${last}`,
    email: `${handle}@example.com`,
    apiToken: `sim-token-${handle}`,
    active: true,
    timeZone: 'Europe/London',
    locale: 'en_US',
    siteAdmin,
    emailVisible: false,
    ...profile,
  };
}

export function demoUsers(): SimUser[] {
  return [
    // Profile visibility (honoured with realism.privacy): most people hide their email, as Atlassian
    // accounts do by default; Alice and Carol show theirs; Dave and Victor hide their full names;
    // Nora withholds her name altogether (displayName null to everyone else).
    user(1, 'Alice', 'Admin', true, { emailVisible: true }),
    user(2, 'Bob', 'Builder'),
    user(3, 'Carol', 'Product', false, { emailVisible: true }),
    user(4, 'Dave', 'Developer', false, { publicName: 'dave.d' }),
    user(5, 'Erin', 'Tester'),
    user(6, 'Frank', 'Support'),
    user(7, 'Grace', 'Designer'),
    user(8, 'Victor', 'Viewer', false, { publicName: 'victor' }),
    user(9, 'Nora', 'Private', false, { nameWithheld: true }),
  ];
}

export const VIEW: PermissionKey[] = ['BROWSE_PROJECTS'];
export const COMMENT: PermissionKey[] = [...VIEW, 'ADD_COMMENTS', 'EDIT_OWN_COMMENTS'];
export const WORK: PermissionKey[] = [
  ...COMMENT,
  'CREATE_ISSUES',
  'EDIT_ISSUES',
  'TRANSITION_ISSUES',
  'ASSIGN_ISSUES',
  'ASSIGNABLE_USER',
  'MANAGE_WATCHERS',
  'LINK_ISSUES',
  'SCHEDULE_ISSUES',
];
export const ADMIN: PermissionKey[] = [...WORK, 'EDIT_ALL_COMMENTS', 'DELETE_ISSUES', 'ADMINISTER_PROJECTS'];
