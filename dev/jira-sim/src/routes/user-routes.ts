import { JiraError } from '../http/jira-error';
import { queryInt, queryList, queryString } from '../http/jira-route';
import { renderUserFor } from '../render/render-user';
import type { SimUser } from '../site/site-model';
import type { RouteDeps } from './route-deps';

function matches(user: SimUser, text: string | undefined): boolean {
  if (!text) return true;
  const needle = text.toLowerCase();
  return (
    user.displayName
      .toLowerCase()
      .split(' ')
      .some((part) => part.startsWith(needle)) ||
    user.displayName.toLowerCase().startsWith(needle) ||
    user.email.toLowerCase().startsWith(needle)
  );
}

export function mountUserRoutes({ router, state }: RouteDeps): void {
  router.get('/rest/api/3/user', 'read:jira-user', ({ auth, query }) => {
    const accountId = queryString(query.accountId);
    if (!accountId) throw JiraError.badRequest({}, ['The accountId query parameter needs to be provided.']);
    const user = state.user(accountId);
    if (!user) throw new JiraError(404, [`Specified user does not exist or you do not have required permissions`]);
    return { status: 200, body: { ...renderUserFor(state, user, auth.accountId), locale: user.locale, expand: 'groups,applicationRoles' }, objects: 1 };
  });

  router.get('/rest/api/3/user/bulk', 'read:jira-user', ({ query }) => {
    const ids = queryList(query.accountId);
    if (!ids || ids.length === 0) throw JiraError.badRequest({}, ['At least one accountId must be provided.']);
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 10, 'maxResults');
    const all = ids.map((id) => state.user(id)).filter((u) => !!u);
    const page = all.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= all.length;
    return {
      status: 200,
      body: {
        self: `${state.site.url}/rest/api/3/user/bulk?maxResults=${maxResults}&startAt=${startAt}`,
        maxResults,
        startAt,
        total: all.length,
        isLast,
        values: page.map((u) => renderUserFor(state, u)),
      },
      objects: page.length,
    };
  });

  router.get('/rest/api/3/user/search', 'read:jira-user', ({ query }) => {
    const text = queryString(query.query);
    const accountId = queryString(query.accountId);
    if (!text && !accountId) throw JiraError.badRequest({}, ['One of the query or accountId parameters must be provided.']);
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const users = state.site.users.filter((u) => u.active && (accountId ? u.accountId === accountId : matches(u, text))).slice(startAt, startAt + maxResults);
    return { status: 200, body: users.map((u) => renderUserFor(state, u)), objects: users.length };
  });

  router.get('/rest/api/3/user/assignable/search', 'read:jira-user', ({ auth, query }) => {
    const projectRef = queryString(query.project);
    const issueRef = queryString(query.issueKey) ?? queryString(query.issueId);
    if (!projectRef && !issueRef) throw JiraError.badRequest({}, ['A project, issue key or issue id is required.']);
    let project = projectRef ? state.project(projectRef) : undefined;
    if (issueRef) {
      const issue = state.issue(issueRef);
      if (!issue || !state.canBrowse(auth.accountId, issue)) throw new JiraError(404, ['Issue does not exist or you do not have permission to see it.']);
      project = state.projectOf(issue);
    }
    if (!project || !state.can(auth.accountId, project, 'BROWSE_PROJECTS')) {
      throw new JiraError(404, [`No project could be found with key '${projectRef}'.`]);
    }
    const text = queryString(query.query);
    const accountId = queryString(query.accountId);
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const users = state.site.users
      .filter((u) => state.can(u.accountId, project, 'ASSIGNABLE_USER'))
      .filter((u) => (accountId ? u.accountId === accountId : matches(u, text)))
      .slice(startAt, startAt + maxResults);
    return { status: 200, body: users.map((u) => renderUserFor(state, u)), objects: users.length };
  });
}
