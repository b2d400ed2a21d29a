import assert from 'node:assert/strict';
import { findSiteFields } from '../../src/meetings/find-site-fields';
import { toBacklogIssue } from '../../src/meetings/to-backlog-issue';

describe('toBacklogIssue', () => {
  const site = 'https://acme.atlassian.net/';
  const full = {
    id: '10042',
    key: 'PHX-42',
    fields: {
      summary: 'Checkout <b>fails</b>',
      issuetype: { name: 'Bug', iconUrl: 'https://acme.atlassian.net/icons/bug.svg' },
      status: { name: 'In Review', statusCategory: { key: 'indeterminate' } },
      priority: { id: '2', name: 'High', iconUrl: 'https://acme.atlassian.net/icons/high.svg' },
      assignee: { accountId: '712020:abc', displayName: 'Bob Builder', avatarUrls: { '48x48': 'https://avatar.example/bob.png', '16x16': 'x' } },
      customfield_10016: 5,
      customfield_10019: '0|i0000b:',
      updated: '2026-03-01T10:15:30.000+0100',
    },
  };

  it('maps every field the tab shows', () => {
    assert.deepEqual(toBacklogIssue(full, site, { estimate: 'customfield_10016', rank: 'customfield_10019' }), {
      key: 'PHX-42',
      id: '10042',
      url: 'https://acme.atlassian.net/browse/PHX-42',
      summary: 'Checkout <b>fails</b>',
      issueType: { name: 'Bug', iconUrl: 'https://acme.atlassian.net/icons/bug.svg' },
      status: { name: 'In Review', category: 'indeterminate' },
      priority: { id: '2', name: 'High', iconUrl: 'https://acme.atlassian.net/icons/high.svg' },
      assignee: { accountId: '712020:abc', displayName: 'Bob Builder', avatarUrl: 'https://avatar.example/bob.png' },
      estimate: 5,
      rank: '0|i0000b:',
      updated: '2026-03-01T09:15:30.000Z',
    });
  });

  it('gives null for what is unset, and no estimate or rank when the site has no such field', () => {
    const bare = toBacklogIssue(
      { id: '1', key: 'KAN-1', fields: { summary: 'x', status: { name: 'Open', statusCategory: { key: 'undefined' } }, priority: null, assignee: null, customfield_10016: 3 } },
      site,
    );
    assert.equal(bare.priority, null);
    assert.equal(bare.assignee, null);
    assert.equal(bare.estimate, null);
    assert.equal(bare.rank, null);
    assert.equal(bare.status.category, 'new');
    assert.deepEqual(bare.issueType, { name: 'Issue' });
    assert.equal(toBacklogIssue({ ...full, fields: { ...full.fields, customfield_10016: null } }, site, { estimate: 'customfield_10016' }).estimate, null);
  });

  it('drops icon and avatar URLs that are not http(s)', () => {
    const issue = toBacklogIssue({ ...full, fields: { ...full.fields, issuetype: { name: 'Bug', iconUrl: 'javascript:alert(1)' } } }, site);
    assert.deepEqual(issue.issueType, { name: 'Bug' });
  });
});

describe('findSiteFields', () => {
  const rank = { id: 'customfield_10019', name: 'Rank', schema: { type: 'any', custom: 'com.pyxis.greenhopper.jira:gh-lexo-rank' } };
  it('prefers "Story point estimate" over "Story Points", and only number fields', () => {
    const fields = [
      { id: 'customfield_10016', name: 'Story Points', schema: { type: 'number' } },
      { id: 'customfield_10099', name: 'Story point estimate', schema: { type: 'number' } },
      rank,
    ];
    assert.deepEqual(findSiteFields(fields), {
      estimate: { id: 'customfield_10099', name: 'Story point estimate' },
      storyPointIds: ['customfield_10099', 'customfield_10016'],
      rankId: 'customfield_10019',
    });
    assert.deepEqual(findSiteFields([fields[0]]).estimate, { id: 'customfield_10016', name: 'Story Points' });
    assert.deepEqual(findSiteFields([{ id: 'cf', name: 'Story Points', schema: { type: 'string' } }]), { estimate: null, storyPointIds: [], rankId: null });
  });
});
