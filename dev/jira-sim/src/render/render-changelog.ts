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
    // The spec types from/to strings as non-nullable strings, so REST omits empty ends (webhooks keep nulls).
    items: entry.items.map((item) => Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null))),
  };
}
