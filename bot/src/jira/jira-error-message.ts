import { JiraError, JiraErrorCode } from './jira-error';

/** The one sentence a user sees for each error code. */
export function jiraErrorMessage(error: JiraError): string {
  switch (error.code) {
    case JiraErrorCode.Unauthorized:
    case JiraErrorCode.ReconnectRequired:
      return 'Your Jira connection has expired or was revoked. Type "connect" to reconnect your Jira account.';
    case JiraErrorCode.Forbidden:
      return error.permission
        ? `You need the "${error.permission}" permission in this Jira project. Ask a Jira admin to grant it.`
        : 'Jira says you do not have permission to do this. Ask a Jira admin for access.';
    case JiraErrorCode.NotFound:
      return 'Jira could not find that, or you do not have access to it.';
    case JiraErrorCode.BadRequest:
      return error.detail ? `Jira rejected the request: ${error.detail}` : 'Jira rejected the request.';
    case JiraErrorCode.RateLimited:
      return `Jira is busy, try again in ${Math.max(1, Math.ceil(error.retryAfterSeconds ?? 30))} s.`;
    case JiraErrorCode.Unavailable:
      return 'Jira is unavailable right now. Try again in a few minutes.';
    case JiraErrorCode.Rejected:
      return error.detail ? `Jira could not do that: ${error.detail}` : 'Jira could not do that.';
    default: {
      const unknown: never = error.code;
      return `Something went wrong talking to Jira (${String(unknown)}).`;
    }
  }
}
