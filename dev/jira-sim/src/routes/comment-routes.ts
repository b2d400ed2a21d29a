import { JiraError } from '../http/jira-error';
import { queryInt, queryList, queryString } from '../http/jira-route';
import { addComment, deleteComment, editComment, findComment } from '../issues/comment-on-issue';
import { visibleIssue } from '../issues/visible-issue';
import { adfToHtml } from '../render/adf-to-html';
import { renderComment } from '../render/render-comment';
import type { Comment } from '../site/site-model';
import type { RouteDeps } from './route-deps';

const COMMENTS = '/rest/api/3/issue/:issueIdOrKey/comment';

export function mountCommentRoutes({ router, state, emit }: RouteDeps): void {
  const render = (issueIdOrKey: string, comment: Comment, expand: string[] | undefined) => {
    const issue = state.issue(issueIdOrKey)!;
    const body = renderComment(state, issue, comment);
    if (expand?.includes('renderedBody')) body.renderedBody = adfToHtml(comment.body);
    return body;
  };

  router.get(COMMENTS, 'read:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = Math.min(queryInt(query.maxResults, 5000, 'maxResults'), 5000);
    const orderBy = queryString(query.orderBy) ?? 'created';
    if (!['created', '-created', '+created'].includes(orderBy)) {
      throw JiraError.badRequest({}, [`Invalid orderBy value '${orderBy}'. Allowed values: created, -created, +created.`]);
    }
    const sorted = [...issue.comments].sort((a, b) => (orderBy === '-created' ? b.created - a.created : a.created - b.created));
    const page = sorted.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      body: {
        startAt,
        maxResults,
        total: issue.comments.length,
        comments: page.map((c) => render(issue.id, c, queryList(query.expand))),
      },
      objects: page.length,
    };
  });

  router.post(COMMENTS, 'write:jira-work', ({ auth, params, body, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const { comment, changes } = addComment(state, auth.accountId, issue, body);
    changes.forEach(emit);
    return { status: 201, body: render(issue.id, comment, queryList(query.expand)) };
  });

  router.get(`${COMMENTS}/:id`, 'read:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    return { status: 200, body: render(issue.id, findComment(issue, params.id), queryList(query.expand)), objects: 1 };
  });

  router.put(`${COMMENTS}/:id`, 'write:jira-work', ({ auth, params, body, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const { comment, changes } = editComment(state, auth.accountId, issue, params.id, body);
    changes.forEach(emit);
    return { status: 200, body: render(issue.id, comment, queryList(query.expand)) };
  });

  router.del(`${COMMENTS}/:id`, 'write:jira-work', ({ auth, params }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    deleteComment(state, auth.accountId, issue, params.id);
    return { status: 204 };
  });
}
