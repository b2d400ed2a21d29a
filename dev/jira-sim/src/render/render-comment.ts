import type { Comment, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { jiraDateTime } from './jira-time';
import { renderUserFor } from './render-user';

export function renderComment(state: SiteState, issue: Issue, comment: Comment): Record<string, unknown> {
  const siteUrl = state.site.url;
  const author = state.user(comment.authorAccountId);
  const updateAuthor = state.user(comment.updateAuthorAccountId);
  return {
    self: `${siteUrl}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    ...(author ? { author: renderUserFor(state, author) } : {}),
    body: comment.body,
    ...(updateAuthor ? { updateAuthor: renderUserFor(state, updateAuthor) } : {}),
    created: jiraDateTime(comment.created),
    updated: jiraDateTime(comment.updated),
    jsdPublic: true,
  };
}
