import { isConnectionError, ConnectionErrorCode } from '../../connections/connection-error';
import { JiraErrorCode, isJiraError } from '../../jira/jira-error';
import { jiraErrorMessage } from '../../jira/jira-error-message';

/** What a handler tells the user when a Jira call fails. */
export type Failure =
  /** No usable connection: offer sign-in. */
  | { kind: 'signIn' }
  /** Jira's 404: the issue does not exist or the user may not see it (Jira does not say which). */
  | { kind: 'unavailable' }
  /** Anything else Jira said no to, in one sentence for the user. */
  | { kind: 'message'; text: string; detail?: string };

/** Maps coded errors to a Failure; anything else (a bug) is undefined and should be rethrown. */
export function classifyFailure(error: unknown): Failure | undefined {
  if (isConnectionError(error)) {
    return error.code === ConnectionErrorCode.NotConnected ? { kind: 'signIn' } : { kind: 'message', text: 'Your Jira connection is not usable. Type "connect" to connect again.' };
  }
  if (!isJiraError(error)) return undefined;
  switch (error.code) {
    case JiraErrorCode.Unauthorized:
    case JiraErrorCode.ReconnectRequired:
      return { kind: 'signIn' };
    case JiraErrorCode.NotFound:
      return { kind: 'unavailable' };
    default:
      return { kind: 'message', text: jiraErrorMessage(error) };
  }
}
