import { JiraError, JiraErrorCode } from '../jira/jira-error';
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
      const found = new Set<string>();
      let nextPageToken: string | undefined;
      do {
        const page = await client.jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch({
          jql: batchedKeyJql(keys, jql),
          fields: ['id'],
          maxResults: PAGE,
          ...(nextPageToken ? { nextPageToken } : {}),
        });
        for (const issue of page.issues ?? []) if (issue.key) found.add(issue.key);
        nextPageToken = page.nextPageToken ?? undefined;
      } while (nextPageToken);
      return found;
    },
  };
}
