import { JiraError } from '../http/jira-error';
import { isAdfDoc } from '../site/adf';
import type { Comment, Issue } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import type { IssueChange } from './issue-change';
import { touchIssue } from './record-change';

function bodyOf(input: unknown): Comment['body'] {
  const body = (input as { body?: unknown } | null)?.body;
  if (body === undefined || body === null) throw JiraError.badRequest({ comment: 'Comment body can not be empty!' });
  if (!isAdfDoc(body)) throw JiraError.badRequest({ comment: 'Comment body is not a valid Atlassian Document.' });
  if (body.content.length === 0) throw JiraError.badRequest({ comment: 'Comment body can not be empty!' });
  return body;
}

export function findComment(issue: Issue, commentId: string): Comment {
  const comment = issue.comments.find((c) => c.id === commentId);
  if (!comment) throw new JiraError(404, [`Can not find a comment for the id: ${commentId}.`]);
  return comment;
}

/**
 * Jira announces a comment twice: as an issue update (issue_commented / issue_comment_edited,
 * with the comment) and as comment_created / comment_updated. Webhooks subscribed to both get both.
 */
function commentChanges(issue: Issue, actorAccountId: string, comment: Comment, edited: boolean): IssueChange[] {
  return [
    { event: 'jira:issue_updated', eventTypeName: edited ? 'issue_comment_edited' : 'issue_commented', issue, actorAccountId, comment },
    { event: edited ? 'comment_updated' : 'comment_created', issue, actorAccountId, comment },
  ];
}

/** POST /rest/api/3/issue/{key}/comment. Jira documents no 403 here; a missing right is a 400. */
export function addComment(state: SiteState, actorAccountId: string, issue: Issue, input: unknown): { comment: Comment; changes: IssueChange[] } {
  if (!state.can(actorAccountId, state.projectOf(issue), 'ADD_COMMENTS')) {
    throw JiraError.badRequest({}, ['You do not have the permission to comment on this issue.']);
  }
  const body = bodyOf(input);
  const now = state.now();
  const comment: Comment = {
    id: String(++state.site.counters.comment),
    authorAccountId: actorAccountId,
    updateAuthorAccountId: actorAccountId,
    body,
    created: now,
    updated: now,
  };
  issue.comments.push(comment);
  touchIssue(state, issue);
  return { comment, changes: commentChanges(issue, actorAccountId, comment, false) };
}

export function editComment(state: SiteState, actorAccountId: string, issue: Issue, commentId: string, input: unknown): { comment: Comment; changes: IssueChange[] } {
  const comment = findComment(issue, commentId);
  const project = state.projectOf(issue);
  const mayEdit =
    state.can(actorAccountId, project, 'EDIT_ALL_COMMENTS') || (comment.authorAccountId === actorAccountId && state.can(actorAccountId, project, 'EDIT_OWN_COMMENTS'));
  if (!mayEdit) throw JiraError.badRequest({}, ['You do not have the permission to edit this comment.']);
  comment.body = bodyOf(input);
  comment.updated = state.now();
  comment.updateAuthorAccountId = actorAccountId;
  touchIssue(state, issue);
  return { comment, changes: commentChanges(issue, actorAccountId, comment, true) };
}

export function deleteComment(state: SiteState, actorAccountId: string, issue: Issue, commentId: string): void {
  const comment = findComment(issue, commentId);
  const project = state.projectOf(issue);
  const mayDelete =
    state.can(actorAccountId, project, 'EDIT_ALL_COMMENTS') || (comment.authorAccountId === actorAccountId && state.can(actorAccountId, project, 'EDIT_OWN_COMMENTS'));
  if (!mayDelete) throw JiraError.badRequest({}, ['You do not have the permission to delete this comment.']);
  issue.comments = issue.comments.filter((c) => c.id !== commentId);
  touchIssue(state, issue);
}
