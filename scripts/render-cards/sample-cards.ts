/** The cards worth looking at, with realistic and with worst-case data. */
import { issueCard } from '../../bot/src/cards/issue-card';
import { issueListCard } from '../../bot/src/cards/issue-list-card';
import { issueNoAccessCard } from '../../bot/src/cards/issue-no-access-card';
import { issueNotFoundCard } from '../../bot/src/cards/issue-not-found-card';
import { signInCard } from '../../bot/src/cards/sign-in-card';
import { messageCard } from '../../bot/src/cards/message-card';
import { toIssueCardView, toIssueListItem } from '../../bot/src/jira/views/issue-card-view';
import type { CardToRender } from './render-card-page';

const SITE = 'https://acme.atlassian.net';
const AVATAR = (initials: string) => `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/${initials}-5.png?size=48&s=48`;

const issue = {
  key: 'SHOP-1423',
  fields: {
    summary: 'Checkout fails with a 500 when a saved card has expired',
    issuetype: { name: 'Bug', iconUrl: `${SITE}/images/icons/issuetypes/bug.png` },
    status: { name: 'In Progress', statusCategory: { key: 'indeterminate', colorName: 'yellow' } },
    priority: { name: 'High' },
    assignee: { accountId: 'acc-mia', displayName: 'Mia Krystof', avatarUrls: { '48x48': AVATAR('MK') } },
    reporter: { accountId: 'acc-sam', displayName: 'Samuel Okafor-Lindqvist', avatarUrls: { '48x48': AVATAR('SO') } },
    updated: '2026-11-27T16:42:10.000+0000',
    labels: ['payments', 'regression', 'customer-reported'],
    watches: { isWatching: false, watchCount: 3 },
    description: {
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Customers with an expired saved card get a blank error page at the last step. Reported by ' },
            { type: 'mention', attrs: { id: 'x', text: '@Dana Whitfield' } },
            { type: 'text', text: ' from support.' },
          ],
        },
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Steps' }] },
        {
          type: 'orderedList',
          content: ['Save a card that expires this month', 'Wait until it expires', 'Check out with it'].map((t) => ({
            type: 'listItem',
            content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
          })),
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Expected: a prompt to update the card.' }] },
      ],
    },
  },
};

const transitions = {
  transitions: [
    { id: '11', name: 'To Do', to: { name: 'To Do' } },
    { id: '31', name: 'Code review', to: { name: 'In Review' } },
    { id: '41', name: 'Done', to: { name: 'Done' } },
  ],
};

const hostile = '**URGENT** <b>html</b> [click me](https://evil.example) # {{DATE(2017-02-14T06:08:39Z)}} _x_ `y` &amp;';

export function sampleCards(): CardToRender[] {
  const view = toIssueCardView(issue, SITE, transitions);
  const done = { ...view, status: { name: 'Done', category: 'done' as const }, watching: true };
  const todo = { ...view, status: { name: 'To Do', category: 'new' as const }, assignee: undefined };
  const worst = toIssueCardView(
    {
      key: 'SHOP-99999',
      fields: {
        ...issue.fields,
        summary: `${hostile} ${'a-very-long-unbroken-word-'.repeat(8)} and more text to wrap over several lines`,
        labels: Array.from({ length: 100 }, (_, i) => `label-${i}`),
        assignee: { displayName: 'Maximilian Alexander von Hohenberg-Schwarzenfeld', avatarUrls: { '48x48': AVATAR('MA') } },
        status: { name: 'Waiting for customer approval', statusCategory: { key: 'indeterminate' } },
        description: {
          type: 'doc',
          version: 1,
          content: Array.from({ length: 200 }, () => ({ type: 'paragraph', content: [{ type: 'text', text: `${hostile} lorem ipsum dolor sit amet ` }] })),
        },
      },
    },
    SITE,
    Array.from({ length: 50 }, (_, i) => ({ id: String(100 + i), name: `Transition ${i} with a long name`, to: { name: `Status ${i}` } })),
  );
  const list = issueListCard({
    title: 'Payments: open bugs',
    jql: 'project = SHOP AND labels = payments AND statusCategory != Done ORDER BY priority DESC',
    total: 23,
    url: `${SITE}/issues/?filter=10042`,
    issues: [
      issue,
      {
        key: 'SHOP-1401',
        fields: {
          summary: 'Refund emails show the wrong currency symbol for CHF',
          status: { name: 'To Do', statusCategory: { key: 'new' } },
          issuetype: { name: 'Bug', iconUrl: `${SITE}/images/icons/issuetypes/bug.png` },
        },
      },
      {
        key: 'SHOP-1388',
        fields: {
          summary: 'Apple Pay button missing on iPad in landscape',
          status: { name: 'In Review', statusCategory: { key: 'indeterminate' } },
          issuetype: { name: 'Story', iconUrl: `${SITE}/images/icons/issuetypes/story.png` },
        },
      },
      {
        key: 'SHOP-1377',
        fields: { summary: hostile, status: { name: 'Done', statusCategory: { key: 'done' } }, issuetype: { name: 'Task', iconUrl: `${SITE}/images/icons/issuetypes/task.png` } },
      },
      { key: 'SHOP-1350', fields: { summary: 'Timeout on 3-D Secure challenge', status: { name: 'Blocked', statusCategory: { key: 'indeterminate' } } } },
    ].map((i) => toIssueListItem(i, SITE)),
  });
  return [
    { name: 'issue', card: issueCard(view, { viewerAccountId: 'acc-sam' }) },
    { name: 'issue-transition-open', card: issueCard(view, { viewerAccountId: 'acc-sam' }), expand: ['Change status'] },
    { name: 'issue-comment-open', card: issueCard(view, { viewerAccountId: 'acc-sam' }), expand: ['Comment'] },
    { name: 'issue-done-watching', card: issueCard(done, { viewerAccountId: 'acc-mia', notice: { text: 'SHOP-1423 moved to Done.', tone: 'good' }, memberCount: 250 }) },
    { name: 'issue-todo-unassigned', card: issueCard(todo, { notice: { text: "You don't have permission to transition this issue (Transition issues).", tone: 'attention' } }) },
    { name: 'issue-worst-case', card: issueCard(worst, { memberCount: 500 }) },
    { name: 'list', card: list },
    { name: 'list-empty', card: issueListCard({ title: 'status = Blocked', issues: [], total: 0, url: `${SITE}/issues/?jql=status%3DBlocked` }) },
    { name: 'no-access', card: issueNoAccessCard('SEC-12', `${SITE}/browse/SEC-12`) },
    { name: 'not-found', card: issueNotFoundCard('SHOP-404') },
    { name: 'sign-in', card: signInCard({ key: 'SHOP-1423', url: `${SITE}/browse/SHOP-1423`, signInUrl: 'https://jira-bot.example/connect' }) },
    {
      name: 'message-error',
      card: messageCard({ text: 'Jira rejected the search.', tone: 'attention', details: ["Error in the JQL Query: The character '*' is a reserved JQL character."] }),
    },
  ];
}
