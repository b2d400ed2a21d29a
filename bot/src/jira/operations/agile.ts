import type { JiraClient } from '../create-jira-client';

export interface RankEntry {
  issueKey?: string;
  status?: number;
  errors?: string[];
}

/**
 * Ranks issues before or after another (Agile REST). Jira answers 207 with one entry per issue:
 * each succeeded or failed on its own, so the entries come back for the caller to judge.
 */
export async function rankIssues(jira: JiraClient, keys: string[], place: { before?: string; after?: string }): Promise<RankEntry[]> {
  const answer = await jira.agile.issue.rankIssues<{ entries?: RankEntry[] } | undefined>({
    issues: keys,
    ...(place.before ? { rankBeforeIssue: place.before } : { rankAfterIssue: place.after }),
  });
  return answer?.entries ?? [];
}

export interface BoardChoice {
  id: number;
  name: string;
  type: string;
  projectKey?: string;
}

export interface SprintChoice {
  id: number;
  name: string;
  state: 'active' | 'future' | 'closed';
  boardId?: number;
  goal?: string;
  startDate?: string;
  endDate?: string;
}

const BOARD_PAGE = 50;

/** The boards the user may see, by name (one page: a picker narrows by typing). */
export async function searchBoards(jira: JiraClient, options: { query?: string; projectKey?: string } = {}): Promise<BoardChoice[]> {
  const page = await jira.agile.board.getAllBoards({
    maxResults: BOARD_PAGE,
    orderBy: 'name',
    ...(options.query?.trim() ? { name: options.query.trim() } : {}),
    ...(options.projectKey ? { projectKeyOrId: options.projectKey } : {}),
  });
  return (page.values ?? [])
    .filter((b) => b.id !== undefined)
    .map((b) => toBoardChoice(b))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function getBoard(jira: JiraClient, boardId: number): Promise<BoardChoice> {
  return toBoardChoice(await jira.agile.board.getBoard({ boardId }));
}

/** The saved filter a board shows (its configuration). */
export async function boardFilterId(jira: JiraClient, boardId: number): Promise<string> {
  const configuration = await jira.agile.board.getConfiguration({ boardId });
  const id = configuration.filter?.id;
  if (id === undefined) throw new Error(`board ${boardId} has no filter in its configuration`);
  return String(id);
}

/** A scrum board's sprints in the given states (a kanban board has none: Jira answers 400). */
export async function listBoardSprints(jira: JiraClient, boardId: number, states: Array<SprintChoice['state']>): Promise<SprintChoice[]> {
  const sprints: SprintChoice[] = [];
  for (let startAt = 0; ; startAt += BOARD_PAGE) {
    const page = await jira.agile.board.getAllSprints({ boardId, state: states.join(','), startAt, maxResults: BOARD_PAGE });
    sprints.push(...(page.values ?? []).map(toSprintChoice));
    if (page.isLast !== false || (page.values ?? []).length === 0) return sprints;
  }
}

export async function getSprint(jira: JiraClient, sprintId: number): Promise<SprintChoice> {
  return toSprintChoice(await jira.agile.sprint.getSprint({ sprintId }));
}

/** Moves up to 50 issues into an open sprint (Agile REST; "Schedule Issues" in their projects). */
export async function moveIssuesToSprint(jira: JiraClient, sprintId: number, keys: string[]): Promise<void> {
  await jira.agile.sprint.moveIssuesToSprintAndRank({ sprintId, issues: keys });
}

/** Takes up to 50 issues out of every open sprint, back to the backlog. */
export async function moveIssuesToBacklog(jira: JiraClient, keys: string[]): Promise<void> {
  await jira.agile.backlog.moveIssuesToBacklog({ issues: keys });
}

function toBoardChoice(b: { id?: number; name?: string; type?: string; location?: { projectKey?: string } }): BoardChoice {
  return { id: Number(b.id), name: b.name ?? `Board ${b.id}`, type: b.type ?? 'scrum', ...(b.location?.projectKey ? { projectKey: b.location.projectKey } : {}) };
}

function toSprintChoice(s: { id?: number; name?: string; state?: string; originBoardId?: number; goal?: string; startDate?: string; endDate?: string }): SprintChoice {
  const state = s.state === 'active' || s.state === 'closed' ? s.state : 'future';
  return {
    id: Number(s.id),
    name: s.name ?? `Sprint ${s.id}`,
    state,
    ...(s.originBoardId !== undefined ? { boardId: s.originBoardId } : {}),
    ...(s.goal ? { goal: s.goal } : {}),
    ...(s.startDate ? { startDate: String(s.startDate) } : {}),
    ...(s.endDate ? { endDate: String(s.endDate) } : {}),
  };
}
