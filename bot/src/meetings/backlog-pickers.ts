import { listBoardSprints, searchBoards, type BoardChoice, type SprintChoice } from '../jira/operations/agile';
import { searchFilters, type FilterChoice } from '../jira/operations/filters';
import { searchBrowsableProjects } from '../jira/operations/projects';
import { guardTab, jiraOfUser, type BacklogParts } from './backlog-access';
import type { TabUser } from './verify-tab-token';

/**
 * What the configuration page offers instead of typing JQL: projects, boards, a board's open
 * sprints and saved filters, each as the user's own Jira lists them (no backlog exists yet).
 */
export function backlogPickers(parts: BacklogParts) {
  const asUser = async <T>(user: TabUser, work: (jira: Awaited<ReturnType<typeof jiraOfUser>>['jira']) => Promise<T>) => {
    const { jira } = await jiraOfUser(parts, user);
    return guardTab(() => work(jira));
  };
  return {
    pickProjects: (user: TabUser, query?: string) => asUser(user, (jira) => searchBrowsableProjects(jira, { query })),
    pickBoards: (user: TabUser, input: { query?: string; projectKey?: string }): Promise<BoardChoice[]> => asUser(user, (jira) => searchBoards(jira, input)),
    /** Active and future sprints: a closed sprint is history, not something to groom. */
    pickSprints: (user: TabUser, boardId: number): Promise<SprintChoice[]> => asUser(user, (jira) => listBoardSprints(jira, boardId, ['active', 'future'])),
    pickFilters: (user: TabUser, query?: string): Promise<FilterChoice[]> => asUser(user, (jira) => searchFilters(jira, { query })),
  };
}
