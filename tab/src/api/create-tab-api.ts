import { readTabApiError, TabApiError } from './tab-api-error';
import type {
  Backlog,
  BacklogInput,
  BacklogIssue,
  BacklogOptions,
  BoardPick,
  EstimationSettings,
  FilterPick,
  IssueEdit,
  IssuePage,
  JiraUser,
  NewIssue,
  ProjectPick,
  RankRequest,
  RoundView,
  SprintSummary,
  Transition,
} from './types';

export type GetToken = () => Promise<string>;

export interface TabApi {
  /** `conversationId`: the meeting, chat or team whose members may use the backlog. */
  createBacklog(input: BacklogInput & { conversationId?: string }): Promise<Backlog>;
  getBacklog(id: string): Promise<Backlog>;
  updateBacklog(id: string, input: BacklogInput): Promise<Backlog>;
  /** The backlog's own sprint (goal, dates) and the open sprints its issues can move to. */
  getSprints(id: string): Promise<{ sprint?: SprintSummary; sprints: SprintSummary[] }>;
  /** Into an open sprint, or (`sprintId` null) back to the backlog. */
  moveToSprint(id: string, keys: string[], sprintId: number | null): Promise<BacklogIssue[]>;
  pickProjects(query?: string): Promise<ProjectPick[]>;
  pickBoards(query?: string): Promise<BoardPick[]>;
  pickSprints(boardId: number): Promise<SprintSummary[]>;
  pickFilters(query?: string): Promise<FilterPick[]>;
  listIssues(id: string, page: { pageToken?: string; pageSize?: number }, signal?: AbortSignal): Promise<IssuePage>;
  getIssue(id: string, key: string): Promise<BacklogIssue>;
  getOptions(id: string): Promise<BacklogOptions>;
  getTransitions(id: string, key: string): Promise<Transition[]>;
  findAssignable(id: string, issueKey: string, query: string, signal?: AbortSignal): Promise<JiraUser[]>;
  editIssue(id: string, key: string, edit: IssueEdit): Promise<BacklogIssue>;
  transitionIssue(id: string, key: string, transitionId: string): Promise<BacklogIssue>;
  rank(id: string, request: RankRequest): Promise<BacklogIssue[]>;
  createIssue(id: string, input: NewIssue): Promise<BacklogIssue>;
  /** Estimation (docs/tab-api.md, "Estimation"): the current round as the caller may see it, null when none. */
  getRound(id: string): Promise<RoundView | null>;
  startRound(id: string, request: { issueKey: string; timerSeconds?: number } | { next: true; timerSeconds?: number }): Promise<RoundView>;
  /** `step` with its body: votes { card }, role { observer }, accept { value }; reveal, revote and cancel take none. */
  roundStep(id: string, roundId: string, step: 'votes' | 'role' | 'reveal' | 'revote' | 'accept' | 'cancel', body?: unknown): Promise<RoundView>;
  getEstimationSettings(id: string): Promise<EstimationSettings>;
  putEstimationSettings(id: string, settings: EstimationSettings): Promise<EstimationSettings>;
  /** The raw events response, for readEventStream; throws TabApiError unless it is 2xx. */
  openEvents(id: string, signal: AbortSignal): Promise<Response>;
}

/**
 * The bot's tab API (docs/tab-api.md) as typed calls. Every request carries the Teams SSO token;
 * every failure is a TabApiError whose message is meant for the user.
 */
export function createTabApi(baseUrl: string, getToken: GetToken): TabApi {
  const root = `${baseUrl.replace(/\/$/, '')}/api/tab`;

  async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    let token: string;
    try {
      token = await getToken();
    } catch {
      throw new TabApiError(401, 'unauthenticated', 'Teams could not sign you in to this tab. Reload it; if that does not help, sign out of Teams and back in.');
    }
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        signal,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new TabApiError(0, 'network', 'The service cannot be reached. Check your connection and try again.');
    }
    if (!response.ok) throw await readTabApiError(response);
    return response;
  }

  async function json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return (await (await send(method, path, body, signal)).json()) as T;
  }

  const backlog = (id: string) => `/backlogs/${encodeURIComponent(id)}`;
  const queryOf = (params: Record<string, string | undefined>) => {
    const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1]?.trim())));
    return query.size ? `?${query}` : '';
  };
  const issue = (id: string, key: string) => `${backlog(id)}/issues/${encodeURIComponent(key)}`;

  return {
    createBacklog: async (input) => (await json<{ backlog: Backlog }>('POST', '/backlogs', input)).backlog,
    getBacklog: async (id) => (await json<{ backlog: Backlog }>('GET', backlog(id))).backlog,
    updateBacklog: async (id, input) => (await json<{ backlog: Backlog }>('PUT', backlog(id), input)).backlog,
    getSprints: (id) => json<{ sprint?: SprintSummary; sprints: SprintSummary[] }>('GET', `${backlog(id)}/sprints`),
    moveToSprint: async (id, keys, sprintId) => (await json<{ issues: BacklogIssue[] }>('POST', `${backlog(id)}/sprint-moves`, { keys, sprintId })).issues,
    pickProjects: async (query) => (await json<{ projects: ProjectPick[] }>('GET', `/pickers/projects${queryOf({ query })}`)).projects,
    pickBoards: async (query) => (await json<{ boards: BoardPick[] }>('GET', `/pickers/boards${queryOf({ query })}`)).boards,
    pickSprints: async (boardId) => (await json<{ sprints: SprintSummary[] }>('GET', `/pickers/boards/${encodeURIComponent(boardId)}/sprints`)).sprints,
    pickFilters: async (query) => (await json<{ filters: FilterPick[] }>('GET', `/pickers/filters${queryOf({ query })}`)).filters,
    listIssues(id, page, signal) {
      const query = new URLSearchParams();
      if (page.pageToken) query.set('pageToken', page.pageToken);
      if (page.pageSize) query.set('pageSize', String(page.pageSize));
      const suffix = query.size ? `?${query}` : '';
      return json<IssuePage>('GET', `${backlog(id)}/issues${suffix}`, undefined, signal);
    },
    getIssue: async (id, key) => (await json<{ issue: BacklogIssue }>('GET', issue(id, key))).issue,
    getOptions: (id) => json<BacklogOptions>('GET', `${backlog(id)}/options`),
    getTransitions: async (id, key) => (await json<{ transitions: Transition[] }>('GET', `${issue(id, key)}/transitions`)).transitions,
    async findAssignable(id, issueKey, query, signal) {
      const params = new URLSearchParams({ issueKey, query });
      return (await json<{ users: JiraUser[] }>('GET', `${backlog(id)}/assignable?${params}`, undefined, signal)).users;
    },
    editIssue: async (id, key, edit) => (await json<{ issue: BacklogIssue }>('PATCH', issue(id, key), edit)).issue,
    transitionIssue: async (id, key, transitionId) => (await json<{ issue: BacklogIssue }>('POST', `${issue(id, key)}/transitions`, { transitionId })).issue,
    rank: async (id, request) => (await json<{ issues: BacklogIssue[] }>('POST', `${backlog(id)}/rank`, request)).issues,
    createIssue: async (id, input) => (await json<{ issue: BacklogIssue }>('POST', `${backlog(id)}/issues`, input)).issue,
    getRound: async (id) => (await json<{ round: RoundView | null }>('GET', `${backlog(id)}/estimation`)).round,
    startRound: async (id, request) => (await json<{ round: RoundView }>('POST', `${backlog(id)}/estimation`, request)).round,
    roundStep: async (id, roundId, step, body) => (await json<{ round: RoundView }>('POST', `${backlog(id)}/estimation/${encodeURIComponent(roundId)}/${step}`, body)).round,
    getEstimationSettings: async (id) => (await json<{ settings: EstimationSettings }>('GET', `${backlog(id)}/estimation-settings`)).settings,
    putEstimationSettings: async (id, settings) => (await json<{ settings: EstimationSettings }>('PUT', `${backlog(id)}/estimation-settings`, settings)).settings,
    openEvents: (id, signal) => send('GET', `${backlog(id)}/events`, undefined, signal),
  };
}
