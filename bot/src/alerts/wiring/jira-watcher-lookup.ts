import type { WatcherLookup } from '../personal-matcher';
import type { SiteDirectory } from './site-directory';

/** Watchers of an issue, asked as the site's subscription owner in the background; none when nobody can ask. */
export function jiraWatcherLookup(sites: Pick<SiteDirectory, 'backgroundJira'>): WatcherLookup {
  return {
    async watchers(site, issueKey) {
      const client = await sites.backgroundJira(site);
      if (!client) return [];
      const result = await client.jira.v3.issueWatchers.getIssueWatchers({ issueIdOrKey: issueKey });
      return (result.watchers ?? []).map((w) => w.accountId ?? '').filter(Boolean);
    },
  };
}
