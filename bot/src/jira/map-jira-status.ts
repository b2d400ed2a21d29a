import { JiraError, JiraErrorCode } from './jira-error';
import { permissionForRequest } from './permission-for-request';

export interface FailedResponse {
  status: number;
  /** The response body, parsed JSON or raw text. */
  data: unknown;
  method: string;
  path: string;
  retryAfterSeconds?: number;
}

const MAX_DETAIL = 500;

/** Maps a final (not retried further) Jira error response to its coded error. */
export function mapJiraStatus(response: FailedResponse): JiraError {
  const { status } = response;
  if (status === 401) return new JiraError(JiraErrorCode.Unauthorized, { status });
  if (status === 403) {
    return new JiraError(JiraErrorCode.Forbidden, { status, permission: permissionForRequest(response.method, response.path) });
  }
  if (status === 404) return new JiraError(JiraErrorCode.NotFound, { status });
  if (status === 429) {
    return new JiraError(JiraErrorCode.RateLimited, { status, retryAfterSeconds: response.retryAfterSeconds ?? 30 });
  }
  if (status >= 500) return new JiraError(JiraErrorCode.Unavailable, { status });
  const detail = jiraErrorText(response.data);
  return new JiraError(status === 400 ? JiraErrorCode.BadRequest : JiraErrorCode.Rejected, { status, detail });
}

/** Jira's own words from an ErrorCollection body: `errorMessages` then field `errors`. */
export function jiraErrorText(data: unknown): string | undefined {
  const body = typeof data === 'string' ? tryJson(data) : data;
  if (!body || typeof body !== 'object') return undefined;
  const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (Array.isArray(errorMessages)) parts.push(...errorMessages.filter((m): m is string => typeof m === 'string'));
  if (errors && typeof errors === 'object') {
    for (const [field, message] of Object.entries(errors as Record<string, unknown>)) {
      if (typeof message === 'string') parts.push(`${field}: ${message}`);
    }
  }
  if (parts.length === 0) return undefined;
  const text = parts.join(' ');
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
