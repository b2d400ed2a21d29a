import { JiraError } from '../http/jira-error';
import { queryInt, queryList, queryString } from '../http/jira-route';
import { estimateIssue, estimationFieldOf, readEstimate } from '../issues/estimate-issue';
import { visibleIssue } from '../issues/visible-issue';
import { moveToSprint } from '../issues/move-to-sprint';
import { rankIssues } from '../issues/rank-issues';
import { projectAvatarUrls } from '../render/render-catalog';
import { renderIssue } from '../render/render-issue';
import { parseSiteJql } from '../search/search-issues';
import { jqlContext, toJqlIssue } from '../search/to-jql-issue';
import { matchesJql } from '../jql';
import { renderBoardEstimation } from '../site/board-estimation';
import { FieldId } from '../site/field-ids';
import type { Board, Issue, Sprint } from '../site/site-model';
import type { SiteState } from '../site/site-state';
import type { RouteDeps } from './route-deps';

const AGILE = '/rest/agile/1.0';

function renderBoard(state: SiteState, board: Board): Record<string, unknown> {
  const project = state.project(board.projectId)!;
  return {
    id: board.id,
    self: `${state.site.url}${AGILE}/board/${board.id}`,
    name: board.name,
    type: board.type,
    location: {
      projectId: Number(project.id),
      displayName: `${project.name} (${project.key})`,
      projectName: project.name,
      projectKey: project.key,
      projectTypeKey: project.projectTypeKey,
      avatarURI: projectAvatarUrls(state.site.url, project)['48x48'],
      name: `${project.name} (${project.key})`,
    },
  };
}

function renderSprint(state: SiteState, sprint: Sprint): Record<string, unknown> {
  return {
    id: sprint.id,
    self: `${state.site.url}${AGILE}/sprint/${sprint.id}`,
    state: sprint.state,
    name: sprint.name,
    ...(sprint.startDate !== undefined ? { startDate: new Date(sprint.startDate).toISOString() } : {}),
    ...(sprint.endDate !== undefined ? { endDate: new Date(sprint.endDate).toISOString() } : {}),
    ...(sprint.completeDate !== undefined ? { completeDate: new Date(sprint.completeDate).toISOString() } : {}),
    originBoardId: sprint.boardId,
    goal: sprint.goal,
  };
}

function visibleBoard(state: SiteState, accountId: string, boardId: string): Board {
  const board = state.site.boards.find((b) => String(b.id) === boardId);
  if (!board) throw new JiraError(404, [`The requested board cannot be viewed because it either does not exist or you do not have permission to view it.`]);
  if (!state.can(accountId, state.project(board.projectId)!, 'BROWSE_PROJECTS')) {
    throw new JiraError(404, [`The requested board cannot be viewed because it either does not exist or you do not have permission to view it.`]);
  }
  return board;
}

/** Issues on the board's backlog: not in an active or future sprint, and not yet in the last column. */
function backlogOf(state: SiteState, board: Board): Issue[] {
  const doneStatuses = new Set(board.columns[board.columns.length - 1].statusIds);
  const openSprints = new Set(state.site.sprints.filter((s) => s.boardId === board.id && s.state !== 'closed').map((s) => s.id));
  const firstColumn = new Set(board.columns[0].statusIds);
  return state.site.issues
    .filter((i) => i.projectId === board.projectId && !state.issueType(i.issueTypeId)?.subtask && state.issueType(i.issueTypeId)?.hierarchyLevel === 0)
    .filter((i) => !doneStatuses.has(i.statusId))
    .filter((i) => (board.type === 'scrum' ? !((i.values[FieldId.Sprint] as number[] | undefined) ?? []).some((id) => openSprints.has(id)) : firstColumn.has(i.statusId)))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
}

/** Each route takes the OAuth scopes its operation's security block in the Agile spec names. */
export function mountAgileRoutes({ router, state, emit }: RouteDeps): void {
  router.get(`${AGILE}/board`, ['read:board-scope:jira-software', 'read:project:jira'], ({ auth, query }) => {
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const projectRef = queryString(query.projectKeyOrId);
    const type = queryList(query.type);
    const name = queryString(query.name)?.toLowerCase();
    const project = projectRef ? state.project(projectRef) : undefined;
    if (projectRef && !project) throw JiraError.badRequest({}, [`No project could be found with key '${projectRef}'.`]);
    const all = state.site.boards
      .filter((b) => state.can(auth.accountId, state.project(b.projectId)!, 'BROWSE_PROJECTS'))
      .filter((b) => !project || b.projectId === project.id)
      .filter((b) => !type || type.includes(b.type))
      .filter((b) => !name || b.name.toLowerCase().includes(name));
    const page = all.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      body: { maxResults, startAt, total: all.length, isLast: startAt + page.length >= all.length, values: page.map((b) => renderBoard(state, b)) },
      objects: page.length,
    };
  });

  router.get(`${AGILE}/board/:boardId`, ['read:board-scope:jira-software', 'read:issue-details:jira'], ({ auth, params }) => {
    return { status: 200, body: renderBoard(state, visibleBoard(state, auth.accountId, params.boardId)), objects: 1 };
  });

  router.get(`${AGILE}/board/:boardId/configuration`, ['read:board-scope.admin:jira-software', 'read:project:jira'], ({ auth, params }) => {
    const board = visibleBoard(state, auth.accountId, params.boardId);
    const project = state.project(board.projectId)!;
    const siteUrl = state.site.url;
    const estimation = renderBoardEstimation(state, board);
    return {
      status: 200,
      body: {
        id: board.id,
        name: board.name,
        type: board.type,
        self: `${siteUrl}${AGILE}/board/${board.id}/configuration`,
        location: { type: 'project', projectKeyOrId: project.key },
        filter: { id: String(board.filterId), self: `${siteUrl}/rest/api/3/filter/${board.filterId}` },
        columnConfig: {
          columns: board.columns.map((c) => ({
            name: c.name,
            statuses: c.statusIds.map((id) => ({ id, self: `${siteUrl}/rest/api/3/status/${id}` })),
          })),
          constraintType: 'none',
        },
        ...(estimation ? { estimation } : {}),
        ranking: { rankCustomFieldId: Number(FieldId.Rank.slice('customfield_'.length)) },
      },
    };
  });

  router.get(`${AGILE}/board/:boardId/sprint`, 'read:sprint:jira-software', ({ auth, params, query }) => {
    const board = visibleBoard(state, auth.accountId, params.boardId);
    if (board.type !== 'scrum') throw JiraError.badRequest({}, ['The board does not support sprints']);
    const states = queryList(query.state);
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = queryInt(query.maxResults, 50, 'maxResults');
    const all = state.site.sprints.filter((s) => s.boardId === board.id && (!states || states.includes(s.state)));
    const page = all.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      body: { maxResults, startAt, isLast: startAt + page.length >= all.length, values: page.map((s) => renderSprint(state, s)) },
      objects: page.length,
    };
  });

  const visibleSprint = (accountId: string, sprintId: string) => {
    const sprint = state.site.sprints.find((s) => String(s.id) === sprintId);
    const board = sprint && state.site.boards.find((b) => b.id === sprint.boardId);
    if (!sprint || !board || !state.can(accountId, state.project(board.projectId)!, 'BROWSE_PROJECTS')) {
      throw new JiraError(404, [`Sprint with id ${sprintId} does not exist or you do not have permission to see it.`]);
    }
    return sprint;
  };

  const issuePage = (call: { auth: { accountId: string }; query: Record<string, string | string[] | undefined> }, all: Issue[]) => {
    const { auth, query } = call;
    const startAt = queryInt(query.startAt, 0, 'startAt');
    const maxResults = Math.min(queryInt(query.maxResults, 50, 'maxResults'), 1000);
    const jql = queryString(query.jql);
    let issues = all.filter((i) => state.canBrowse(auth.accountId, i));
    if (jql) {
      const parsed = parseSiteJql(state, jql);
      const ctx = jqlContext(state, auth.accountId);
      issues = issues.filter((i) => matchesJql(parsed, toJqlIssue(state, i), ctx));
    }
    issues.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    const page = issues.slice(startAt, startAt + maxResults);
    const view = { fields: queryList(query.fields), defaultFields: '*navigable' as const, expand: new Set(queryList(query.expand) ?? []), viewerAccountId: auth.accountId };
    return {
      status: 200,
      body: { expand: 'schema,names', startAt, maxResults, total: issues.length, issues: page.map((i) => renderIssue(state, i, view)) },
      objects: page.length,
    };
  };

  router.get(`${AGILE}/board/:boardId/backlog`, ['read:board-scope:jira-software', 'read:issue-details:jira'], (call) => {
    return issuePage(call, backlogOf(state, visibleBoard(state, call.auth.accountId, call.params.boardId)));
  });

  router.get(`${AGILE}/board/:boardId/issue`, ['read:board-scope:jira-software', 'read:issue-details:jira'], (call) => {
    const board = visibleBoard(state, call.auth.accountId, call.params.boardId);
    return issuePage(
      call,
      state.site.issues.filter((i) => i.projectId === board.projectId),
    );
  });

  router.get(`${AGILE}/sprint/:sprintId`, 'read:sprint:jira-software', ({ auth, params }) => {
    return { status: 200, body: renderSprint(state, visibleSprint(auth.accountId, params.sprintId)), objects: 1 };
  });

  router.get(`${AGILE}/sprint/:sprintId/issue`, ['read:sprint:jira-software', 'read:issue-details:jira', 'read:jql:jira'], (call) => {
    const sprint = visibleSprint(call.auth.accountId, call.params.sprintId);
    return issuePage(
      call,
      state.site.issues.filter((i) => ((i.values[FieldId.Sprint] as number[] | undefined) ?? []).includes(sprint.id)),
    );
  });

  router.post(`${AGILE}/sprint/:sprintId/issue`, 'write:sprint:jira-software', ({ auth, params, body }) => {
    const sprint = visibleSprint(auth.accountId, params.sprintId);
    moveToSprint(state, auth.accountId, (body as { issues?: unknown } | undefined)?.issues, sprint).forEach(emit);
    return { status: 204 };
  });

  router.post(`${AGILE}/backlog/issue`, 'write:board-scope:jira-software', ({ auth, body }) => {
    moveToSprint(state, auth.accountId, (body as { issues?: unknown } | undefined)?.issues, null).forEach(emit);
    return { status: 204 };
  });

  router.get(`${AGILE}/issue/:issueIdOrKey`, 'read:issue:jira-software', ({ auth, params, query }) => {
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const view = { fields: queryList(query.fields), defaultFields: '*all' as const, expand: new Set(queryList(query.expand) ?? []), viewerAccountId: auth.accountId };
    return { status: 200, body: renderIssue(state, issue, view), objects: 1 };
  });

  const estimationBoard = (accountId: string, boardId: unknown) => (typeof boardId === 'string' && boardId !== '' ? visibleBoard(state, accountId, boardId) : undefined);

  router.get(`${AGILE}/issue/:issueIdOrKey/estimation`, ['read:issue:jira-software', 'read:issue-details:jira'], ({ auth, params, query }) => {
    const fieldId = estimationFieldOf(estimationBoard(auth.accountId, query.boardId));
    return { status: 200, body: readEstimate(visibleIssue(state, auth.accountId, params.issueIdOrKey), fieldId), objects: 1 };
  });

  router.put(`${AGILE}/issue/:issueIdOrKey/estimation`, ['write:issue:jira-software', 'read:issue-details:jira'], ({ auth, params, query, body }) => {
    const fieldId = estimationFieldOf(estimationBoard(auth.accountId, query.boardId));
    const issue = visibleIssue(state, auth.accountId, params.issueIdOrKey);
    const change = estimateIssue(state, auth.accountId, issue, fieldId, (body as { value?: unknown } | undefined)?.value);
    if (change) emit(change);
    return { status: 200, body: readEstimate(issue, fieldId) };
  });

  router.put(`${AGILE}/issue/rank`, 'write:issue:jira-software', ({ auth, body }) => {
    const { entries, changes } = rankIssues(state, auth.accountId, body ?? {});
    changes.forEach(emit);
    if (entries.every((e) => e.status === 200)) return { status: 204 };
    return { status: 207, body: { entries } };
  });
}
