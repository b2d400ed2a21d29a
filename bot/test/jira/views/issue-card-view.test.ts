import assert from 'node:assert/strict';
import issue from '../../fixtures/jira/issue.get.200.json';
import transitions from '../../fixtures/jira/transitions.get.200.json';
import search from '../../fixtures/jira/search-jql.get.200.json';
import { toIssueCardView, toIssueListItem } from '../../../src/jira/views/issue-card-view';
import { browseUrl } from '../../../src/jira/site-url';
import { issueCard } from '../../../src/cards/issue-card';
import { issueListCard } from '../../../src/cards/issue-list-card';
import { assertValidCard, cardText } from '../../support/validate-card';

const site = 'https://your-domain.atlassian.net';

/** An issue as Jira Cloud returns it with the fields the card asks for (shapes from the OpenAPI spec). */
const fullIssue = {
  id: '10002',
  key: 'ED-1',
  fields: {
    summary: 'Order flow <broken>',
    issuetype: { name: 'Bug', iconUrl: 'https://your-domain.atlassian.net/rest/api/2/universal_avatar/view/type/issuetype/avatar/10303?size=medium' },
    status: { name: 'In Review', statusCategory: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' } },
    priority: { name: 'High', iconUrl: 'https://your-domain.atlassian.net/images/icons/priorities/high.svg' },
    assignee: {
      accountId: '5b10a2844c20165700ede21g',
      displayName: 'Mia Krystof',
      avatarUrls: { '48x48': 'https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=48&s=48' },
    },
    reporter: { accountId: '5b10ac8d82e05b22cc7d4ef5', displayName: 'Emma Richards', avatarUrls: { '48x48': 'https://secure.gravatar.com/avatar/abc?d=mm' } },
    updated: '2026-11-27T18:04:05.123+0100',
    labels: ['checkout', 7, 'web'],
    description: issue.fields.description,
    watches: { isWatching: true, watchCount: 2 },
  },
};

describe('toIssueCardView', () => {
  it("copes with Atlassian's partial example issue and its transitions", () => {
    const view = toIssueCardView(issue, site, transitions);
    assert.equal(view.key, 'ED-1');
    assert.equal(view.url, 'https://your-domain.atlassian.net/browse/ED-1');
    assert.equal(view.summary, '');
    assert.equal(view.descriptionMarkdown, 'Main order flow broken');
    assert.equal(view.watching, false, 'from fields.watcher in the example');
    assert.equal(view.updated, undefined, 'the example has a number where Jira sends a date');
    assert.deepEqual(view.transitions, [
      { id: '2', name: 'Close Issue', toStatus: 'In Progress' },
      { id: '711', name: 'QA Review', toStatus: 'Closed' },
    ]);
    const card = issueCard(view);
    assertValidCard(card);
    assert.match(cardText(card), /Main order flow broken/);
  });

  it('maps a full issue: category, people, raster images only, date in UTC', () => {
    const view = toIssueCardView(fullIssue, `${site}/`);
    assert.deepEqual(view.status, { name: 'In Review', category: 'indeterminate' });
    assert.deepEqual(view.type, { name: 'Bug' }, 'an SVG avatar icon is not used');
    assert.deepEqual(view.priority, { name: 'High' });
    assert.equal(view.assignee?.accountId, '5b10a2844c20165700ede21g');
    assert.match(view.assignee?.avatarUrl ?? '', /MK-5\.png/);
    assert.match(view.reporter?.avatarUrl ?? '', /gravatar/);
    assert.equal(view.updated, '2026-11-27T17:04:05Z');
    assert.deepEqual(view.labels, ['checkout', 'web']);
    assert.equal(view.watching, true);
    assert.equal(view.url, 'https://your-domain.atlassian.net/browse/ED-1');
    assertValidCard(issueCard(view));
  });

  it('lets the caller say whether the viewer watches, and reads statusCategory colours when keys are odd', () => {
    const view = toIssueCardView(
      { key: 'A-1', fields: { status: { name: 'Closed', statusCategory: { key: 'completed', colorName: 'green' } } } },
      site,
      [{ id: 5, name: 'Reopen', isAvailable: true }, { id: '6', name: 'Hidden', isAvailable: false }, { name: 'no id' }],
      true,
    );
    assert.deepEqual(view.status, { name: 'Closed', category: 'done' });
    assert.equal(view.watching, true);
    assert.deepEqual(view.transitions, [{ id: '5', name: 'Reopen' }]);
  });

  it('survives junk', () => {
    for (const junk of [null, 'x', [], { fields: 'x' }, { key: 5, fields: { summary: {}, labels: 'a', assignee: 'me' } }]) {
      const view = toIssueCardView(junk, site);
      assert.equal(view.summary, '');
      assert.deepEqual(view.labels, []);
      assert.deepEqual(view.transitions, []);
    }
  });

  it('encodes the key into the browse URL', () => {
    assert.equal(browseUrl('https://x.atlassian.net//', 'A-1?x'), 'https://x.atlassian.net/browse/A-1%3Fx');
  });
});

describe('toIssueListItem', () => {
  it("maps Atlassian's search/jql example into a valid list card", () => {
    const items = search.issues.map((i) => toIssueListItem(i, site));
    const card = issueListCard({ title: 'project = EX', issues: items, url: `${site}/issues/?jql=project%20%3D%20EX`, hasMore: !search.isLast });
    assertValidCard(card);
    assert.ok(items.length > 0);
    assert.match(cardText(card), new RegExp(items[0].key.replace('-', '\\\\-')));
  });
});
