import { listWatchers } from '../jira/operations/watchers';
import type { WatcherLookup } from '../alerts/personal-matcher';
import type { SiteDirectory } from './site-directory';

/**
 * Watchers of an issue, asked as the site's subscription owner in the background; none when
 * nobody can ask. `anyoneWatching` spares the Jira call (one per changed issue) on sites where
 * no connected user switched on watched-issue notifications, which is off by default.
 */
export function jiraWatcherLookup(sites: Pick<SiteDirectory, 'backgroundJira'>, anyoneWatching: (site: string) => Promise<boolean> = async () => true): WatcherLookup {
  return {
    async watchers(site, issueKey) {
      if (!(await anyoneWatching(site))) return [];
      const client = await sites.backgroundJira(site);
      if (!client) return [];
      return listWatchers(client.jira, issueKey);
    },
  };
}
