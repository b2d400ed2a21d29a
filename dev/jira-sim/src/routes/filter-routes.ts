import { JiraError } from '../http/jira-error';
import { queryInt, queryString } from '../http/jira-route';
import { renderUserFor } from '../render/render-user';
import type { Filter } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import type { RouteDeps } from './route-deps';
import { renderPageBean } from '../render/render-page-bean';

function canSee(state: SiteState, accountId: string, filter: Filter): boolean {
  if (filter.ownerAccountId === accountId) return true;
  const shared = filter.sharedWith;
  if (shared.type === 'global') return true;
  if (shared.type === 'project') return state.can(accountId, state.project(shared.projectId) ?? null, 'BROWSE_PROJECTS');
  return false;
}

function renderFilter(state: SiteState, filter: Filter): Record<string, unknown> {
  const siteUrl = state.site.url;
  const owner = state.user(filter.ownerAccountId);
  const shared = filter.sharedWith;
  const project = shared.type === 'project' ? state.project(shared.projectId) : undefined;
  return {
    self: `${siteUrl}/rest/api/3/filter/${filter.id}`,
    id: String(filter.id),
    name: filter.name,
    description: filter.description,
    ...(owner ? { owner: renderUserFor(state, owner) } : {}),
    jql: filter.jql,
    viewUrl: `${siteUrl}/issues/?filter=${filter.id}`,
    searchUrl: `${siteUrl}/rest/api/3/search/jql?jql=${encodeURIComponent(filter.jql)}`,
    favourite: false,
    favouritedCount: 0,
    sharePermissions:
      shared.type === 'global'
        ? [{ id: filter.id, type: 'global' }]
        : project
          ? [{ id: filter.id, type: 'project', project: { id: project.id, key: project.key, name: project.name } }]
          : [],
    editPermissions: [],
  };
}

/** Saved filters (the boards' among them), as filter links in Teams resolve them. */
export function mountFilterRoutes({ router, state }: RouteDeps): void {
  router.get('/rest/api/3/filter/search', 'read:jira-work', ({ auth, query }) => {
    const name = queryString(query.filterName)?.toLowerCase();
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const all = state.site.filters
      .filter((f) => canSee(state, auth.accountId, f))
      .filter((f) => !name || f.name.toLowerCase().includes(name))
      .sort((a, b) => a.name.localeCompare(b.name));
    return renderPageBean(all, { startAt, maxResults, baseUrl: `${state.site.url}/rest/api/3/filter/search` }, (f) => renderFilter(state, f));
  });

  router.get('/rest/api/3/filter/:id', 'read:jira-work', ({ auth, params }) => {
    const filter = state.site.filters.find((f) => String(f.id) === params.id);
    // Jira's spec documents no 404 here: an unknown or hidden filter is a 400.
    if (!filter || !canSee(state, auth.accountId, filter)) {
      throw JiraError.badRequest({}, ['The selected filter is not available to you, perhaps it has been deleted or had its permissions changed.']);
    }
    return { status: 200, body: renderFilter(state, filter), objects: 1 };
  });
}
