import type { ChangelogEntry } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { jiraDateTime } from './jira-time';
import { renderUser } from './render-user';

export function renderChangelogEntry(state: SiteState, entry: ChangelogEntry): Record<string, unknown> {
  const author = state.user(entry.authorAccountId);
  return {
    id: entry.id,
    ...(author ? { author: renderUser(state.site.url, author) } : {}),
    created: jiraDateTime(entry.created),
    items: entry.items.map((item) => ({ ...item })),
  };
}
