import { connectionErrorMessage, isConnectionError } from '../../connections/connection-error';
import { jiraErrorMessage } from '../../jira/jira-error-message';
import { isJiraError, JiraErrorCode } from '../../jira/jira-error';

/**
 * The message to show in a dialog for a failure the user can act on (not connected, expired
 * connection, missing permission, input Jira rejected), or undefined for a bug, which should
 * propagate to the turn's error handler.
 */
export function userFacingError(error: unknown): string | undefined {
  if (isConnectionError(error)) return connectionErrorMessage(error);
  if (isJiraError(error)) {
    if ((error.code === JiraErrorCode.BadRequest || error.code === JiraErrorCode.Rejected) && error.detail) {
      return `Jira did not accept this: ${error.detail}`;
    }
    return jiraErrorMessage(error);
  }
  return undefined;
}
