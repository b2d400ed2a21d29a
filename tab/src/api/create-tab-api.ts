import { createEventStreamParser, type StreamMessage } from './parse-event-stream';
import { readTabApiError, TabApiError } from './tab-api-error';
import type {
  Backlog,
  BacklogInput,
  BacklogIssue,
  BacklogOptions,
  BoardPick,
  ErrorCode,
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
  /** Every page of the backlog from one request (`GET /pages`), each as the bot sends it; ends after the last page. */
  issuePages(id: string, pageSize: number, signal: AbortSignal): AsyncGenerator<IssuePage, void, undefined>;
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
    async *issuePages(id, pageSize, signal) {
      const response = await send('GET', `${backlog(id)}/pages?pageSize=${pageSize}`, undefined, signal);
      if (!response.body) throw new TabApiError(0, 'network', 'The service cannot be reached. Check your connection and try again.');
      const messages: StreamMessage[] = [];
      const parse = createEventStreamParser((message) => messages.push(message));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          for (let message = messages.shift(); message; message = messages.shift()) {
            if (message.event === 'error') {
              const { error } = JSON.parse(message.data) as { error: { code: ErrorCode; message: string } };
              throw new TabApiError(0, error.code, error.message);
            }
            if (message.event !== 'page') continue;
            const page = JSON.parse(message.data) as IssuePage;
            yield page;
            if (!page.nextPageToken) return;
          }
          const { value, done } = await reader.read().catch((error: unknown) => {
            if (signal.aborted) throw error;
            throw new TabApiError(0, 'network', 'The service cannot be reached. Check your connection and try again.');
          });
          // The bot ends the response after the last page or an error: an end before either is a cut connection.
          if (done) throw new TabApiError(0, 'network', 'The connection to the service was cut. Reload the tab.');
          parse(value);
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
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
