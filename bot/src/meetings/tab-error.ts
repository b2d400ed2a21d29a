import { isConnectionError, ConnectionErrorCode } from '../connections/connection-error';
import { isJiraError, JiraErrorCode, type JiraError } from '../jira/jira-error';

/** The error codes of docs/tab-api.md, each with its one HTTP status. */
export const TabErrorStatus = {
  unauthenticated: 401,
  notConnected: 403,
  reconnectRequired: 403,
  forbidden: 403,
  notFound: 404,
  badRequest: 400,
  invalidJql: 400,
  otherSite: 409,
  jiraBusy: 503,
  jiraUnavailable: 503,
  tabSignInNotConfigured: 503,
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

const CONNECT = 'Open the Jira app\'s personal chat in Teams and send "connect"';

/**
 * Maps any failure of a tab request to its TabError; anything unknown stays unknown (a 500 the
 * route logs). `jql`: the failing call ran the backlog's JQL, so Jira's 400 is about the query.
 */
export function toTabError(error: unknown, context: { jql?: boolean } = {}): TabError | undefined {
  if (error instanceof TabError) return error;
  if (isConnectionError(error)) {
    if (error.code === ConnectionErrorCode.NotConnected) {
      return new TabError('notConnected', `You have not connected your Jira account yet. ${CONNECT}, then reload this tab.`);
    }
    if (error.code === ConnectionErrorCode.OAuthNotConfigured) {
      return new TabError('reconnectRequired', 'Signing in with Atlassian is no longer set up for this app. Open the Jira app\'s personal chat in Teams and send "connect token", then reload this tab.');
    }
    return undefined;
  }
  if (isJiraError(error)) return fromJiraError(error, context);
  return undefined;
}

function fromJiraError(error: JiraError, context: { jql?: boolean }): TabError {
  switch (error.code) {
    case JiraErrorCode.Unauthorized:
    case JiraErrorCode.ReconnectRequired:
      return new TabError('reconnectRequired', `Your Jira connection has expired or was revoked. ${CONNECT} to reconnect, then reload this tab.`);
    case JiraErrorCode.Forbidden:
      return new TabError(
        'forbidden',
        error.permission
          ? `You need the "${error.permission}" permission in this Jira project. Ask a Jira admin to grant it.`
          : 'Jira says you do not have permission to do this. Ask a Jira admin for access.',
      );
    case JiraErrorCode.NotFound:
      return new TabError('notFound', 'Jira could not find that issue, or you do not have access to it.');
    case JiraErrorCode.BadRequest:
      if (context.jql) {
        return new TabError('invalidJql', error.detail ? `Jira cannot run this query: ${error.detail}` : 'Jira cannot run this query. Check the JQL.');
      }
      return new TabError('badRequest', error.detail ? `Jira rejected the change: ${error.detail}` : 'Jira rejected the change.');
    case JiraErrorCode.Rejected:
      return new TabError('badRequest', error.detail ? `Jira could not do that: ${error.detail}` : 'Jira could not do that.');
    case JiraErrorCode.RateLimited: {
      const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 30));
      return new TabError('jiraBusy', `Jira is busy. Try again in ${seconds} s.`, seconds);
    }
    case JiraErrorCode.Unavailable:
      return new TabError('jiraUnavailable', 'Jira is unavailable right now. Try again in a few minutes.');
    default: {
      const unknown: never = error.code;
      return new TabError('jiraUnavailable', `Something went wrong talking to Jira (${String(unknown)}). Try again.`);
    }
  }
}
