import type { JiraClient } from '../jira/create-jira-client';
import { jqlString } from '../jira/jql-string';
import { boardFilterId, getBoard, getSprint } from '../jira/operations/agile';
import { getFilter } from '../jira/operations/filters';
import { getProjectChoice, listNonBacklogIssueTypeIds } from '../jira/operations/projects';
import type { BacklogSource } from './backlog';

/** What the configuration page picked: a typed query, or a project, board, sprint or saved filter by id. */
export type BacklogPick =
  | { kind: 'jql'; jql: string }
  | { kind: 'project'; projectKey: string }
  | { kind: 'board'; boardId: number }
  | { kind: 'sprint'; sprintId: number }
  | { kind: 'filter'; filterId: string };

// A scrum board's backlog, as Jira's Backlog view shows it: not in an open sprint, not done.
const SCRUM_BACKLOG = '(sprint is EMPTY OR sprint not in (openSprints(), futureSprints())) AND statusCategory != Done';

/**
 * Turns a pick into the query the backlog runs, asking Jira as the user (so a board, sprint or
 * filter they may not see fails here, with Jira's answer): a project is `project = KEY`, a board its
 * filter narrowed to its backlog (scrum) or to what is not done (kanban), without sub-tasks and
 * epics (the board shows those elsewhere), a sprint `sprint = id`, a
 * saved filter `filter = id`. Board, sprint and filter queries name Jira's ids, so a filter edited in
 * Jira or a renamed sprint still applies.
 */
export async function resolveBacklogSource(jira: JiraClient, pick: BacklogPick): Promise<{ jql: string; source: BacklogSource }> {
  switch (pick.kind) {
    case 'jql':
      return { jql: pick.jql, source: { kind: 'jql' } };
    case 'project': {
      const project = await getProjectChoice(jira, pick.projectKey);
      return { jql: `project = ${jqlString(project.key)} ORDER BY Rank ASC`, source: { kind: 'project', projectKey: project.key, name: project.name } };
    }
    case 'board': {
      const [board, filterId, offBacklog] = await Promise.all([getBoard(jira, pick.boardId), boardFilterId(jira, pick.boardId), listNonBacklogIssueTypeIds(jira)]);
      const narrow = [board.type === 'scrum' ? SCRUM_BACKLOG : 'statusCategory != Done', ...(offBacklog.length ? [`issuetype not in (${offBacklog.join(', ')})`] : [])];
      return {
        jql: `filter = ${filterId} AND ${narrow.join(' AND ')} ORDER BY Rank ASC`,
        source: { kind: 'board', boardId: board.id, name: board.name, ...(board.projectKey ? { projectKey: board.projectKey } : {}) },
      };
    }
    case 'sprint': {
      const sprint = await getSprint(jira, pick.sprintId);
      const board = sprint.boardId !== undefined ? await getBoard(jira, sprint.boardId) : undefined;
      return {
        jql: `sprint = ${sprint.id} ORDER BY Rank ASC`,
        source: { kind: 'sprint', sprintId: sprint.id, boardId: sprint.boardId ?? 0, name: sprint.name, ...(board?.projectKey ? { projectKey: board.projectKey } : {}) },
      };
    }
    case 'filter': {
      const filter = await getFilter(jira, pick.filterId);
      return { jql: `filter = ${filter.id}`, source: { kind: 'filter', filterId: filter.id, name: filter.name } };
    }
  }
}
