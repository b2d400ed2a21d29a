import { queryInt, queryList, queryString } from '../http/jira-route';
import { renderIssueType, renderPriorityDetails, renderStatus, renderStatusCategory } from '../render/render-catalog';
import { renderUserFor } from '../render/render-user';
import type { FieldDef } from '../site/site-model';
import type { RouteDeps } from './route-deps';
import { JiraError } from '../http/jira-error';
import { DEFAULT_PRIORITY_ID } from '../site/site-catalog';

function renderField(field: FieldDef): Record<string, unknown> {
  return {
    id: field.id,
    key: field.id,
    name: field.name,
    custom: field.custom,
    orderable: field.orderable,
    navigable: field.navigable,
    searchable: field.searchable,
    clauseNames: field.clauseNames,
    schema: field.schema,
  };
}

/** Site-wide reads: who am I, server info, fields, priorities, statuses. */
export function mountSiteInfoRoutes({ router, state }: RouteDeps): void {
  router.get('/rest/api/3/myself', 'read:jira-user', ({ auth, query }) => {
    const user = state.user(auth.accountId)!;
    const expand = queryList(query.expand) ?? [];
    return {
      status: 200,
      body: {
        ...renderUserFor(state, user, auth.accountId),
        locale: user.locale,
        groups: { size: user.siteAdmin ? 2 : 1, items: [] },
        applicationRoles: { size: 1, items: [] },
        expand: 'groups,applicationRoles',
        ...(expand.includes('groups') ? { groups: { size: 1, items: [{ name: user.siteAdmin ? 'site-admins' : 'jira-software-users' }] } } : {}),
      },
      objects: 1,
    };
  });

  router.get('/rest/api/3/serverInfo', 'anonymous', () => {
    return {
      status: 200,
      body: {
        baseUrl: state.site.url,
        version: '1001.0.0-SNAPSHOT',
        versionNumbers: [1001, 0, 0],
        deploymentType: 'Cloud',
        buildNumber: 100247,
        buildDate: '2026-01-01T00:00:00.000+0000',
        serverTime: new Date(state.now()).toISOString().replace('Z', '+0000'),
        scmInfo: 'jira-sim',
        serverTitle: state.site.name,
        serverTimeZone: 'Etc/UTC',
      },
    };
  });

  router.get('/rest/api/3/field', 'read:jira-work', () => {
    const fields = state.site.fields.map(renderField);
    return { status: 200, body: fields, objects: fields.length };
  });

  router.get('/rest/api/3/priority', 'read:jira-work', () => {
    const body = state.site.priorities.map((p) => renderPriorityDetails(state.site.url, p, p.id === DEFAULT_PRIORITY_ID));
    return { status: 200, body, objects: body.length };
  });

  router.get('/rest/api/3/priority/search', 'manage:jira-configuration', ({ query }) => {
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const ids = queryList(query.id);
    const all = state.site.priorities.filter((p) => !ids || ids.includes(p.id));
    const page = all.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      body: {
        self: `${state.site.url}/rest/api/3/priority/search?maxResults=${maxResults}&startAt=${startAt}`,
        maxResults,
        startAt,
        total: all.length,
        isLast: startAt + page.length >= all.length,
        values: page.map((p) => renderPriorityDetails(state.site.url, p, p.id === DEFAULT_PRIORITY_ID)),
      },
      objects: page.length,
    };
  });

  router.get('/rest/api/3/issuetype', 'read:jira-work', ({ auth }) => {
    // Jira lists the types of the projects the caller can browse.
    const visible = new Set(state.browsableProjects(auth.accountId).flatMap((p) => p.issueTypeIds));
    const body = state.site.issueTypes.filter((t) => visible.has(t.id)).map((t) => renderIssueType(state.site.url, t));
    return { status: 200, body, objects: body.length };
  });

  router.get('/rest/api/3/status', 'read:jira-work', () => {
    const body = state.site.statuses.map((s) => renderStatus(state, s));
    return { status: 200, body, objects: body.length };
  });

  router.get('/rest/api/3/statuscategory', 'read:jira-work', () => {
    const body = state.site.statusCategories.map((c) => renderStatusCategory(state.site.url, c));
    return { status: 200, body, objects: body.length };
  });

  router.get('/rest/api/3/mypermissions', 'read:jira-work', ({ auth, query }) => {
    const wanted = queryList(query.permissions);
    if (!wanted || !wanted.length) {
      throw JiraError.badRequest({}, ['The permissions query parameter is required.']);
    }
    const projectRef = queryString(query.projectKey) ?? queryString(query.projectId);
    const issueRef = queryString(query.issueKey) ?? queryString(query.issueId);
    let project = projectRef ? state.project(projectRef) : undefined;
    if (projectRef && (!project || !state.can(auth.accountId, project, 'BROWSE_PROJECTS'))) {
      throw new JiraError(404, [`No project could be found with key '${projectRef}'.`]);
    }
    if (issueRef) {
      const issue = state.issue(issueRef);
      if (!issue || !state.canBrowse(auth.accountId, issue)) throw new JiraError(404, ['The issue does not exist or you do not have permission to see it.']);
      project = state.projectOf(issue);
    }
    const permissions: Record<string, unknown> = {};
    for (const key of wanted) {
      const permission = key.toUpperCase() as Parameters<typeof state.can>[2];
      const have =
        permission === 'ADMINISTER'
          ? state.can(auth.accountId, null, 'ADMINISTER')
          : project
            ? state.can(auth.accountId, project, permission)
            : state.site.projects.some((p) => state.can(auth.accountId, p, permission));
      permissions[permission] = {
        id: permission,
        key: permission,
        name: permission
          .toLowerCase()
          .split('_')
          .map((w) => w[0].toUpperCase() + w.slice(1))
          .join(' '),
        type: permission === 'ADMINISTER' ? 'GLOBAL' : 'PROJECT',
        description: '',
        havePermission: have,
      };
    }
    return { status: 200, body: { permissions } };
  });
}
