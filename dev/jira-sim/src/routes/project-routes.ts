import { JiraError } from '../http/jira-error';
import { queryInt, queryList, queryString } from '../http/jira-route';
import { projectAvatarUrls, renderIssueType } from '../render/render-catalog';
import { renderFieldMeta } from '../render/render-field-meta';
import { renderUserFor } from '../render/render-user';
import type { Project } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import { mountProjectStatusRoutes } from './project-status-routes';
import type { RouteDeps } from './route-deps';
import { renderPageBean } from '../render/render-page-bean';

function renderProject(state: SiteState, project: Project): Record<string, unknown> {
  const siteUrl = state.site.url;
  const lead = state.user(project.leadAccountId);
  return {
    expand: 'description,lead,issueTypes,url,projectKeys,permissions,insight',
    self: `${siteUrl}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    description: project.description,
    ...(lead ? { lead: renderUserFor(state, lead) } : {}),
    components: [],
    issueTypes: project.issueTypeIds.map((id) => renderIssueType(siteUrl, state.issueType(id)!)),
    assigneeType: 'UNASSIGNED',
    versions: [],
    name: project.name,
    roles: {},
    avatarUrls: projectAvatarUrls(siteUrl, project),
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    style: 'classic',
    isPrivate: false,
    properties: {},
  };
}

function visibleProject(state: SiteState, accountId: string, idOrKey: string): Project {
  const project = state.project(idOrKey);
  if (!project || !state.can(accountId, project, 'BROWSE_PROJECTS')) {
    throw new JiraError(404, [`No project could be found with key '${idOrKey}'.`]);
  }
  return project;
}

export function mountProjectRoutes({ router, state }: RouteDeps): void {
  router.get('/rest/api/3/project/search', 'read:jira-work', ({ auth, query }) => {
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = Math.min(queryInt(query.maxResults, 50, 'maxResults'), 100);
    const text = queryString(query.query)?.toLowerCase();
    const keys = queryList(query.keys);
    // Jira's `action`: view/browse (default) lists what the caller can see; edit and create only
    // projects where the caller holds that permission (the create dialog's project list).
    const action = queryString(query.action) ?? 'view';
    const needed = action === 'create' ? 'CREATE_ISSUES' : action === 'edit' ? 'ADMINISTER_PROJECTS' : undefined;
    const all = state
      .browsableProjects(auth.accountId)
      .filter((p) => !needed || state.can(auth.accountId, p, needed))
      .filter((p) => !text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text))
      .filter((p) => !keys || keys.includes(p.key) || keys.includes(p.id))
      .sort((a, b) => a.key.localeCompare(b.key));
    return renderPageBean(all, { startAt, maxResults, baseUrl: `${state.site.url}/rest/api/3/project/search` }, (p) => renderProject(state, p));
  });

  router.get('/rest/api/3/project/:projectIdOrKey', 'read:jira-work', ({ auth, params }) => {
    const project = visibleProject(state, auth.accountId, params.projectIdOrKey);
    return { status: 200, body: renderProject(state, project), objects: 1 };
  });

  const creatableProject = (accountId: string, idOrKey: string) => {
    const project = state.project(idOrKey);
    if (!project || !state.can(accountId, project, 'BROWSE_PROJECTS') || !state.can(accountId, project, 'CREATE_ISSUES')) {
      throw JiraError.badRequest({}, [`No project could be found with key '${idOrKey}' or you don't have permission to create issues in it.`]);
    }
    return project;
  };

  router.get('/rest/api/3/issue/createmeta/:projectIdOrKey/issuetypes', 'read:jira-work', ({ auth, params, query }) => {
    const project = creatableProject(auth.accountId, params.projectIdOrKey);
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const types = project.issueTypeIds.map((id) => state.issueType(id)!);
    const page = types.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      body: {
        issueTypes: page.map((t) => renderIssueType(state.site.url, t)),
        maxResults,
        startAt,
        total: types.length,
      },
      objects: page.length,
    };
  });

  router.get('/rest/api/3/issue/createmeta/:projectIdOrKey/issuetypes/:issueTypeId', 'read:jira-work', ({ auth, params, query }) => {
    const project = creatableProject(auth.accountId, params.projectIdOrKey);
    const screen = project.screens[params.issueTypeId];
    if (!project.issueTypeIds.includes(params.issueTypeId) || !screen) {
      throw JiraError.badRequest({}, [`The issue type with id '${params.issueTypeId}' does not exist in project '${project.key}'.`]);
    }
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const page = screen.slice(startAt, startAt + maxResults);
    const fields = page.map((f) => renderFieldMeta(state, project, f, 'create'));
    return { status: 200, body: { fields, maxResults, startAt, total: screen.length }, objects: page.length };
  });

  mountProjectStatusRoutes({ router, state });
}
