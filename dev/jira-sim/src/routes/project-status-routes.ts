import { JiraError } from '../http/jira-error';
import { renderStatus } from '../render/render-catalog';
import type { RouteDeps } from './route-deps';

/**
 * GET /rest/api/3/project/{projectIdOrKey}/statuses: each issue type of the project with the
 * statuses of its workflow (the simulator has one workflow per project), as the subscribe dialog
 * offers them for "transitioned to".
 */
export function mountProjectStatusRoutes({ router, state }: Pick<RouteDeps, 'router' | 'state'>): void {
  router.get('/rest/api/3/project/:projectIdOrKey/statuses', 'read:jira-work', ({ auth, params }) => {
    const project = state.project(params.projectIdOrKey);
    if (!project || !state.can(auth.accountId, project, 'BROWSE_PROJECTS')) {
      throw new JiraError(404, [`No project could be found with key '${params.projectIdOrKey}'.`]);
    }
    const statuses = state.workflowOf(project).statusIds.map((id) => renderStatus(state, state.status(id)));
    const body = project.issueTypeIds.map((id) => {
      const type = state.issueType(id)!;
      return { id: type.id, name: type.name, self: `${state.site.url}/rest/api/3/issueType/${type.id}`, subtask: type.subtask, statuses };
    });
    return { status: 200, body, objects: body.length };
  });
}
