import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { dropUnknownProjects, searchAllIssues } from '../jira/operations/search';
import type { SiteSearch } from '../alerts/site-poller';
import type { SiteDirectory } from './site-directory';

/** What pollEvents reads from each issue. */
export const POLL_FIELDS = ['summary', 'status', 'priority', 'issuetype', 'project', 'assignee', 'reporter', 'creator', 'labels', 'created', 'updated', 'comment'];
/** A poll that finds more than this many changed issues stops paging; the next poll's window overlaps. */
const MAX_PAGES = 20;

/** The poller's one search per site: every page, with the changelog, as the site's subscription owner in the background. */
export function jiraSiteSearch(sites: Pick<SiteDirectory, 'backgroundJira'>): SiteSearch {
  return {
    async search(site, jql) {
      const client = await sites.backgroundJira(site);
      if (!client) throw new JiraError(JiraErrorCode.Unavailable, { detail: 'No subscription owner of this site has a working Jira connection.' });
      const search = (query: string) => searchAllIssues(client.jira, { jql: query, fields: POLL_FIELDS, expand: 'changelog', maxResults: 100 }, MAX_PAGES);
      try {
        return (await search(jql)) as unknown as Array<Record<string, unknown>>;
      } catch (error) {
        // One subscription's project that is gone (or hidden from this user) makes Jira refuse the
        // whole site's query with 400: poll the other projects rather than none.
        if (!(error instanceof JiraError && error.code === JiraErrorCode.BadRequest)) throw error;
        const known = await dropUnknownProjects(client.jira, jql);
        if (!known) throw error;
        return known.jql ? ((await search(known.jql)) as unknown as Array<Record<string, unknown>>) : [];
      }
    },
  };
}
