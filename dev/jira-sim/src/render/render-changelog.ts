import type { ChangelogEntry } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { jiraDateTime } from './jira-time';
import { renderUserFor } from './render-user';

export function renderChangelogEntry(state: SiteState, entry: ChangelogEntry): Record<string, unknown> {
  const author = state.user(entry.authorAccountId);
  return {
    id: entry.id,
    ...(author ? { author: renderUserFor(state, author) } : {}),
    created: jiraDateTime(entry.created),
    // The spec types from/to strings as non-nullable strings, so REST omits empty ends (webhooks keep nulls).
    items: entry.items.map((item) => Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null))),
  };
}
