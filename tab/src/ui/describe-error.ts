import type { TabApiError } from '../api/tab-api-error';

export interface ErrorView {
  title: string;
  /** What to do, for the user; the bot's own message where it has one. */
  body: string;
  /** Retrying can help (busy, outage, network); otherwise the user must act first. */
  retry: boolean;
}

const CONNECT = "Open the Jira bot's personal chat in Teams and send connect, then come back and select Retry.";

/** The bot's message normally says where to go; if it does not, say it here. */
function withConnectHint(message: string): string {
  return /personal chat/i.test(message) && /\bconnect\b/.test(message) ? message : [message, CONNECT].filter(Boolean).join(' ');
}

/** One message per error code of docs/tab-api.md; the bot's message is kept, it names the specifics. */
export function describeError(error: TabApiError): ErrorView {
  switch (error.code) {
    case 'notConnected':
      return { title: 'Connect your Jira account', body: withConnectHint(error.message), retry: true };
    case 'reconnectRequired':
      return { title: 'Reconnect your Jira account', body: withConnectHint(error.message), retry: true };
    case 'otherSite':
      return { title: 'This backlog is on another Jira site', body: error.message, retry: true };
    case 'forbidden':
      return { title: 'Jira refused', body: error.message, retry: false };
    case 'notFound':
      return { title: 'Backlog not found', body: error.message || 'This backlog was deleted, or you may not see it. Ask whoever added the tab to set it up again.', retry: false };
    case 'invalidJql':
      return { title: 'Jira rejected the query', body: error.message, retry: false };
    case 'badRequest':
      return { title: 'The request was not accepted', body: error.message, retry: false };
    case 'unauthenticated':
      return { title: 'Teams could not sign you in', body: error.message, retry: true };
    case 'tabSignInNotConfigured':
      return { title: 'Sign-in is not set up', body: error.message || 'An admin must configure single sign-on for this tab (TAB_SSO_AUDIENCE).', retry: false };
    case 'jiraBusy':
      return { title: 'Jira is busy', body: error.message, retry: true };
    case 'jiraUnavailable':
      return { title: 'Jira is not answering', body: error.message, retry: true };
    case 'network':
      return { title: 'Cannot reach the service', body: error.message, retry: true };
  }
}
