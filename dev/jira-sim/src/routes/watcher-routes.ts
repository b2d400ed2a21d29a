import { JiraError } from '../http/jira-error';
import { queryString } from '../http/jira-route';
import { touchIssue } from '../issues/record-change';
import { visibleIssue } from '../issues/visible-issue';
import { renderUserFor } from '../render/render-user';
import type { RouteDeps } from './route-deps';

const WATCHERS = '/rest/api/3/issue/:issueIdOrKey/watchers';

/** Watching yourself needs only Browse; adding or removing someone else needs Manage Watchers. */
export function mountWatcherRoutes({ router, state }: RouteDeps): void {
  router.get(WATCHERS, 'read:jira-work', ({ auth, params }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const watchers = issue.watchers.map((id) => state.user(id)).filter((u) => !!u);
    return {
      status: 200,
      body: {
        self: `${state.site.url}/rest/api/3/issue/${issue.key}/watchers`,
        isWatching: issue.watchers.includes(auth.accountId),
        watchCount: watchers.length,
        watchers: watchers.map((u) => renderUserFor(state, u)),
      },
      objects: watchers.length,
    };
  });

  router.post(WATCHERS, 'write:jira-work', ({ auth, params, body }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const accountId = typeof body === 'string' && body.trim() !== '' ? body.trim() : auth.accountId;
    const user = state.user(accountId);
    if (!user) throw JiraError.badRequest({}, [`The user with account ID '${accountId}' does not exist.`]);
    if (accountId !== auth.accountId && !state.can(auth.accountId, state.projectOf(issue), 'MANAGE_WATCHERS')) {
      throw new JiraError(403, ['You do not have the permission to manage the watcher list.']);
    }
    if (!state.canBrowse(accountId, issue)) {
      throw JiraError.badRequest({}, [`The user "${user.displayName}" does not have permission to view this issue. This user will not be added to the watch list.`]);
    }
    if (!issue.watchers.includes(accountId)) {
      issue.watchers.push(accountId);
      touchIssue(state, issue, false);
    }
    return { status: 204 };
  });

  router.del(WATCHERS, 'write:jira-work', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const accountId = queryString(query.accountId);
    if (!accountId) throw JiraError.badRequest({}, ["The 'accountId' parameter is required."]);
    if (accountId !== auth.accountId && !state.can(auth.accountId, state.projectOf(issue), 'MANAGE_WATCHERS')) {
      throw new JiraError(403, ['You do not have the permission to manage the watcher list.']);
    }
    issue.watchers = issue.watchers.filter((id) => id !== accountId);
    touchIssue(state, issue, false);
    return { status: 204 };
  });
}
