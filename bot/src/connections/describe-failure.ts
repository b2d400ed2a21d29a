import { isJiraError, JiraErrorCode, type JiraError } from '../jira/jira-error';
import { jiraErrorMessage } from '../jira/jira-error-message';
import { connectionErrorMessage, ConnectionErrorCode, isConnectionError, type ConnectionError } from './connection-error';

/**
 * What went wrong, in the terms a user can act on. `notConnected` and `reconnect` both mean
 * "sign in"; the tab tells them apart (different codes in docs/tab-api.md).
 */
export type FailureKind = 'notConnected' | 'reconnect' | 'connection' | 'forbidden' | 'notFound' | 'badRequest' | 'invalidJql' | 'rejected' | 'busy' | 'unavailable';

export interface UserFailure {
  kind: FailureKind;
  /** One sentence for the user, in the surface's own words. */
  message: string;
  retryAfterSeconds?: number;
}

/**
 * Where the message is shown: a card or chat line (`chat`), a dialog (`dialog`: says what
 * Jira did not accept in the form), or the meeting tab (`tab`: ends with "reload this tab").
 */
export type FailureSurface = 'chat' | 'dialog' | 'tab';

/**
 * The one mapper from a failed Jira call (or a missing connection) to what the user is told.
 * Anything else (a bug) is undefined, for the caller to rethrow. `jql`: the failing call ran a
 * query the user wrote, so Jira's 400 is about that query.
 */
export function describeFailure(error: unknown, surface: FailureSurface, context: { jql?: boolean } = {}): UserFailure | undefined {
  if (isConnectionError(error)) return fromConnectionError(error, surface);
  if (isJiraError(error)) return fromJiraError(error, surface, context);
  return undefined;
}

/** Whether the user's way out is to (re)connect their Jira account. */
export function needsSignIn(failure: UserFailure): boolean {
  return failure.kind === 'notConnected' || failure.kind === 'reconnect';
}

const TAB_CONNECT = 'Open the Jira app\'s personal chat in Teams and send "connect"';

function fromConnectionError(error: ConnectionError, surface: FailureSurface): UserFailure | undefined {
  const notConnected = error.code === ConnectionErrorCode.NotConnected;
  if (surface !== 'tab') return { kind: notConnected ? 'notConnected' : 'connection', message: connectionErrorMessage(error) };
  if (notConnected) return { kind: 'notConnected', message: `You have not connected your Jira account yet. ${TAB_CONNECT}, then reload this tab.` };
  if (error.code === ConnectionErrorCode.OAuthNotConfigured) {
    return {
      kind: 'reconnect',
      message: 'Signing in with Atlassian is no longer set up for this app. Open the Jira app\'s personal chat in Teams and send "connect token", then reload this tab.',
    };
  }
  return undefined;
}

function fromJiraError(error: JiraError, surface: FailureSurface, context: { jql?: boolean }): UserFailure {
  const kind = kindOf(error, context);
  const retry = kind === 'busy' ? { retryAfterSeconds: Math.max(1, Math.ceil(error.retryAfterSeconds ?? 30)) } : {};
  return { kind, message: surface === 'tab' ? tabMessage(error, kind, retry.retryAfterSeconds) : chatMessage(error, surface), ...retry };
}

function kindOf(error: JiraError, context: { jql?: boolean }): FailureKind {
  switch (error.code) {
    case JiraErrorCode.Unauthorized:
    case JiraErrorCode.ReconnectRequired:
      return 'reconnect';
    case JiraErrorCode.Forbidden:
      return 'forbidden';
    case JiraErrorCode.NotFound:
      return 'notFound';
    case JiraErrorCode.BadRequest:
      return context.jql ? 'invalidJql' : 'badRequest';
    case JiraErrorCode.Rejected:
      return 'rejected';
    case JiraErrorCode.RateLimited:
      return 'busy';
    case JiraErrorCode.Unavailable:
      return 'unavailable';
    default: {
      const unknown: never = error.code;
      return unknown;
    }
  }
}

function chatMessage(error: JiraError, surface: FailureSurface): string {
  // In a dialog the user's own input is what Jira refused, so say it in those words.
  if (surface === 'dialog' && (error.code === JiraErrorCode.BadRequest || error.code === JiraErrorCode.Rejected) && error.detail) {
    return `Jira did not accept this: ${error.detail}`;
  }
  return jiraErrorMessage(error);
}

function tabMessage(error: JiraError, kind: FailureKind, retryAfterSeconds?: number): string {
  switch (kind) {
    case 'reconnect':
      return `Your Jira connection has expired or was revoked. ${TAB_CONNECT} to reconnect, then reload this tab.`;
    case 'notFound':
      return 'Jira could not find that issue, or you do not have access to it.';
    case 'invalidJql':
      return error.detail ? `Jira cannot run this query: ${error.detail}` : 'Jira cannot run this query. Check the JQL.';
    case 'badRequest':
      return error.detail ? `Jira rejected the change: ${error.detail}` : 'Jira rejected the change.';
    case 'busy':
      return `Jira is busy. Try again in ${retryAfterSeconds} s.`;
    default:
      return jiraErrorMessage(error);
  }
}
