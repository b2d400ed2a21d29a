import type { IssueCardView } from '../../src/cards/issue-card';

/** A typical issue card view; override what a test is about. */
export function issueView(overrides: Partial<IssueCardView> = {}): IssueCardView {
  return {
    key: 'PROJ-42',
    url: 'https://acme.atlassian.net/browse/PROJ-42',
    summary: 'Checkout fails for saved cards',
    type: { name: 'Bug', iconUrl: 'https://acme.atlassian.net/images/icons/issuetypes/bug.png' },
    status: { name: 'In Progress', category: 'indeterminate' },
    priority: { name: 'High' },
    assignee: { accountId: 'acc-mia', displayName: 'Mia Krystof', avatarUrl: 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/MK-5.png' },
    reporter: { accountId: 'acc-sam', displayName: 'Sam Lee' },
    updated: '2026-11-28T09:15:00Z',
    labels: ['payments', 'regression'],
    descriptionMarkdown: 'Main order flow broken',
    transitions: [
      { id: '11', name: 'To Do' },
      { id: '31', name: 'Resolve', toStatus: 'Done' },
    ],
    watching: false,
    ...overrides,
  };
}
