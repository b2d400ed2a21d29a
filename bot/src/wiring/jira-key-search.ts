import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { searchAllIssues } from '../jira/operations/search';
import { batchedKeyJql, type JqlKeySearch } from '../alerts/subscription-matcher';
import type { SiteDirectory } from './site-directory';

/** Jira's page size for search/jql; a batch of keys larger than this pages. */
const PAGE = 100;

/** The matcher's remote half: one `key in (...) AND (jql)` search as the site's subscription owner, in the background. */
export function jiraKeySearch(sites: Pick<SiteDirectory, 'backgroundJira'>): JqlKeySearch {
  return {
    async keysMatching(site, keys, jql) {
      const client = await sites.backgroundJira(site);
      if (!client) throw new JiraError(JiraErrorCode.Unavailable, { detail: 'No subscription owner of this site has a working Jira connection.' });
      const issues = await searchAllIssues(client.jira, { jql: batchedKeyJql(keys, jql), fields: ['id'], maxResults: PAGE });
      return new Set(issues.map((issue) => issue.key).filter(Boolean));
    },
  };
}
