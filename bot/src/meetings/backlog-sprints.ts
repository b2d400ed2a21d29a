import { getSprint, listBoardSprints, moveIssuesToBacklog, moveIssuesToSprint, searchBoards, type SprintChoice } from '../jira/operations/agile';
import type { JiraClient } from '../jira/create-jira-client';
import type { BacklogIssue, SprintSummary } from './backlog';
import { guardTab, openBacklog, type BacklogParts } from './backlog-access';
import type { StoredBacklog } from './backlog-repository';
import { jqlProjectKey } from './jql-project-key';
import { TabError } from './tab-error';
import type { TabUser } from './verify-tab-token';

/**
 * The board whose sprints a backlog's issues move between: the one picked, else the first scrum
 * board of the picked project or of the first project a typed query names. A saved filter: none.
 */
async function boardOf(jira: JiraClient, backlog: StoredBacklog): Promise<number | undefined> {
  const source = backlog.source ?? { kind: 'jql' };
  if (source.kind === 'board' || source.kind === 'sprint') return source.boardId || undefined;
  const projectKey = source.kind === 'project' ? source.projectKey : source.kind === 'jql' ? jqlProjectKey(backlog.jql) : undefined;
  if (!projectKey) return undefined;
  const boards = await searchBoards(jira, { projectKey });
  return boards.find((b) => b.type === 'scrum')?.id;
}

const summary = (s: SprintChoice): SprintSummary => ({
  id: s.id,
  name: s.name,
  state: s.state,
  ...(s.goal ? { goal: s.goal } : {}),
  ...(s.startDate ? { startDate: s.startDate } : {}),
  ...(s.endDate ? { endDate: s.endDate } : {}),
});

/** Sprint work from the tab: the sprint a backlog shows (goal, dates), and moving issues between sprints and the backlog. */
export function backlogSprints(parts: BacklogParts) {
  const { hub, reader } = parts;
  return {
    /** `sprint`: the backlog's own sprint, as Jira has it now; `sprints`: the open sprints issues can move to. */
    async sprints(user: TabUser, backlogId: string): Promise<{ sprint?: SprintSummary; sprints: SprintSummary[] }> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      return guardTab(async () => {
        const source = backlog.source;
        const [own, boardId] = await Promise.all([source?.kind === 'sprint' ? getSprint(jira, source.sprintId) : undefined, boardOf(jira, backlog)]);
        const open = boardId === undefined ? [] : await listBoardSprints(jira, boardId, ['active', 'future']);
        return { ...(own ? { sprint: summary(own) } : {}), sprints: open.map(summary) };
      });
    },

    /** Moves issues into an open sprint, or (`sprintId` null) out of every sprint to the backlog, as the user. */
    async moveToSprint(user: TabUser, backlogId: string, input: { keys: string[]; sprintId: number | null }): Promise<BacklogIssue[]> {
      const { backlog, jira } = await openBacklog(parts, user, backlogId);
      const issues = await guardTab(async () => {
        if (input.sprintId === null) await moveIssuesToBacklog(jira, input.keys);
        else await moveIssuesToSprint(jira, input.sprintId, input.keys);
        return Promise.all(input.keys.map((key) => reader.fetchIssue(jira, key)));
      }).catch((error: unknown) => {
        if (error instanceof TabError && error.code === 'forbidden') {
          throw new TabError('forbidden', 'You need the "Schedule Issues" permission to move issues between sprints. Ask a Jira admin to grant it.');
        }
        throw error;
      });
      for (const issue of issues) {
        hub.noteShown(backlogId, backlog.siteUrl, [issue.key], user);
        // A sprint backlog loses the issue moved out of it: each panel refetches and drops it.
        hub.issueChanged(backlog.siteUrl, issue.key, { by: user.name, alsoTo: backlogId, updated: issue.updated });
      }
      return issues;
    },
  };
}
