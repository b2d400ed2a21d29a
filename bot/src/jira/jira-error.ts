/**
 * Every failed Jira call surfaces as one JiraError whose code maps to exactly one user-facing
 * message (`jiraErrorMessage`). Handlers switch on the code; they never read HTTP statuses.
 */
export const JiraErrorCode = {
  /** 401: the token is no longer accepted; the user must connect again. */
  Unauthorized: 'JIRA_UNAUTHORIZED',
  /** The OAuth grant was revoked or expired (invalid_grant); the connection is marked for reconnect. */
  ReconnectRequired: 'JIRA_RECONNECT_REQUIRED',
  /** 403: the user lacks a Jira permission; `permission` names it. */
  Forbidden: 'JIRA_FORBIDDEN',
  /** 404: the thing does not exist, or the user cannot see it (Jira does not tell them apart). */
  NotFound: 'JIRA_NOT_FOUND',
  /** 400: Jira rejected the input; `detail` carries Jira's own text (e.g. a JQL error). */
  BadRequest: 'JIRA_BAD_REQUEST',
  /** 429 still after the retries; `retryAfterSeconds` says when to try again. */
  RateLimited: 'JIRA_RATE_LIMITED',
  /** 5xx, a network error or the deadline passed. */
  Unavailable: 'JIRA_UNAVAILABLE',
  /** Any other status Jira answered with (409, 413, ...); `detail` carries Jira's text. */
  Rejected: 'JIRA_REJECTED',
} as const;

export type JiraErrorCode = (typeof JiraErrorCode)[keyof typeof JiraErrorCode];

/** Jira permission names as shown in Jira's permission schemes, so users can ask an admin for them. */
export type JiraPermission = 'Browse Projects' | 'Create Issues' | 'Edit Issues' | 'Transition Issues' | 'Add Comments' | 'Assign Issues' | 'Delete Issues';

export interface JiraErrorDetails {
  status?: number;
  permission?: JiraPermission;
  /** Jira's own error text (errorMessages and field errors), safe to show to the user who caused it. */
  detail?: string;
  retryAfterSeconds?: number;
  /** On ReconnectRequired: true only for the failure that first found the grant revoked, so background work tells the user once. */
  firstNotice?: boolean;
  cause?: unknown;
}

export class JiraError extends Error {
  readonly status?: number;
  readonly permission?: JiraPermission;
  readonly detail?: string;
  readonly retryAfterSeconds?: number;
  readonly firstNotice?: boolean;

  constructor(
    readonly code: JiraErrorCode,
    details: JiraErrorDetails = {},
  ) {
    super(`${code}${details.status ? ` (HTTP ${details.status})` : ''}`, { cause: details.cause });
    this.name = 'JiraError';
    this.status = details.status;
    this.permission = details.permission;
    this.detail = details.detail;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.firstNotice = details.firstNotice;
  }
}

export function isJiraError(value: unknown): value is JiraError {
  return value instanceof JiraError;
}
