import { describeFailure, type FailureKind } from '../connections/describe-failure';

/** The error codes of docs/tab-api.md, each with its one HTTP status. */
export const TabErrorStatus = {
  unauthenticated: 401,
  notConnected: 403,
  reconnectRequired: 403,
  forbidden: 403,
  notMember: 403,
  notFound: 404,
  badRequest: 400,
  invalidJql: 400,
  otherSite: 409,
  tooManyStreams: 429,
  jiraBusy: 503,
  jiraUnavailable: 503,
  tabSignInNotConfigured: 503,
  teamsUnavailable: 503,
} as const;

export type TabErrorCode = keyof typeof TabErrorStatus;

/** A failure the tab shows its user: `message` names what to do. */
export class TabError extends Error {
  readonly status: number;
  constructor(
    readonly code: TabErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'TabError';
    this.status = TabErrorStatus[code];
  }
}

const CODE_OF: Record<FailureKind, TabErrorCode> = {
  notConnected: 'notConnected',
  reconnect: 'reconnectRequired',
  connection: 'reconnectRequired',
  forbidden: 'forbidden',
  notFound: 'notFound',
  badRequest: 'badRequest',
  invalidJql: 'invalidJql',
  rejected: 'badRequest',
  busy: 'jiraBusy',
  unavailable: 'jiraUnavailable',
};

/**
 * Maps any failure of a tab request to its TabError; anything unknown stays unknown (a 500 the
 * route logs). `jql`: the failing call ran the backlog's JQL, so Jira's 400 is about the query.
 */
export function toTabError(error: unknown, context: { jql?: boolean } = {}): TabError | undefined {
  if (error instanceof TabError) return error;
  const failure = describeFailure(error, 'tab', context);
  return failure && new TabError(CODE_OF[failure.kind], failure.message, failure.retryAfterSeconds);
}
