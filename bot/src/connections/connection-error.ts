/**
 * Failures of connecting a Jira account, each with one user-facing message
 * (`connectionErrorMessage`). Failures of calls made with a connection are JiraErrors.
 */
export const ConnectionErrorCode = {
  NotConnected: 'CONNECTION_NOT_FOUND',
  OAuthNotConfigured: 'CONNECTION_OAUTH_NOT_CONFIGURED',
  /** The state was forged, expired, already used, or belongs to another user. */
  OAuthStateInvalid: 'CONNECTION_OAUTH_STATE_INVALID',
  OAuthDenied: 'CONNECTION_OAUTH_DENIED',
  OAuthExchangeFailed: 'CONNECTION_OAUTH_EXCHANGE_FAILED',
  NoSites: 'CONNECTION_NO_SITES',
  SiteChoiceInvalid: 'CONNECTION_SITE_CHOICE_INVALID',
  /** A sign-in code sent in Teams that is unknown, already used or expired. */
  SignInCodeInvalid: 'CONNECTION_SIGN_IN_CODE_INVALID',
  SiteUrlInvalid: 'CONNECTION_SITE_URL_INVALID',
  ApiTokenRejected: 'CONNECTION_API_TOKEN_REJECTED',
  SiteUnreachable: 'CONNECTION_SITE_UNREACHABLE',
  NotJira: 'CONNECTION_NOT_JIRA',
  /** The site policy refused the address (not a Jira Cloud site, not listed, or an internal address); `site` names the host. */
  SiteNotAllowed: 'CONNECTION_SITE_NOT_ALLOWED',
  /** The site answered the check with a redirect, which is never followed; `site` names the host. */
  SiteRedirected: 'CONNECTION_SITE_REDIRECTED',
} as const;

export type ConnectionErrorCode = (typeof ConnectionErrorCode)[keyof typeof ConnectionErrorCode];

export class ConnectionError extends Error {
  /** The host the user asked for, when the message names it (never a path or credentials). */
  readonly site?: string;

  constructor(
    readonly code: ConnectionErrorCode,
    options?: { cause?: unknown; detail?: string; site?: string },
  ) {
    super(options?.detail ? `${code}: ${options.detail}` : code, { cause: options?.cause });
    this.name = 'ConnectionError';
    this.site = options?.site;
  }
}

export function isConnectionError(value: unknown): value is ConnectionError {
  return value instanceof ConnectionError;
}

export function connectionErrorMessage(error: ConnectionError): string {
  switch (error.code) {
    case ConnectionErrorCode.NotConnected:
      return 'You have not connected your Jira account yet. Type "connect" to connect it.';
    case ConnectionErrorCode.OAuthNotConfigured:
      return 'Signing in with Atlassian is not set up for this app. Connect with an API token instead: type "connect token".';
    case ConnectionErrorCode.OAuthStateInvalid:
      return 'This sign-in link has expired or was already used. Type "connect" in Teams to get a new one.';
    case ConnectionErrorCode.OAuthDenied:
      return 'Jira access was not granted, so nothing was connected. Type "connect" to try again.';
    case ConnectionErrorCode.OAuthExchangeFailed:
      return 'Atlassian did not complete the sign-in. Type "connect" to try again.';
    case ConnectionErrorCode.NoSites:
      return 'Your Atlassian account has no Jira site this app may access. Ask your Jira admin to install the app, then connect again.';
    case ConnectionErrorCode.SiteChoiceInvalid:
      return 'That site choice has expired or is not one of your sites. Type "connect" to start again.';
    case ConnectionErrorCode.SignInCodeInvalid:
      return 'That sign-in code has expired or was already used. Type "connect" to sign in again.';
    case ConnectionErrorCode.SiteUrlInvalid:
      return 'That does not look like a Jira site address. Use the address you open Jira at, like https://your-team.atlassian.net.';
    case ConnectionErrorCode.ApiTokenRejected:
      return 'Jira did not accept that email and API token. Check both, or create a new token at id.atlassian.com under Security, API tokens.';
    case ConnectionErrorCode.SiteUnreachable:
      return 'That Jira site did not answer. Check the address and try again.';
    case ConnectionErrorCode.NotJira:
      return 'That address answered, but not as a Jira Cloud site. Check the address, like https://your-team.atlassian.net.';
    case ConnectionErrorCode.SiteNotAllowed:
      return `${error.site ?? 'That address'} is not an allowed Jira site. Use your Jira Cloud address, like https://your-team.atlassian.net; the app's admin can allow another site with JIRA_ALLOWED_SITES.`;
    case ConnectionErrorCode.SiteRedirected:
      return `${error.site ?? 'That address'} answered with a redirect to another address, which this app does not follow. Use the address Jira itself shows, like https://your-team.atlassian.net.`;
    default: {
      const unknown: never = error.code;
      return `Could not connect Jira (${String(unknown)}).`;
    }
  }
}
