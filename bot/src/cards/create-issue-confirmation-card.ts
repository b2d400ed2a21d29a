import { adaptiveCard, escapeCardText, type AdaptiveCard } from './adaptive-card';
import { httpUrl } from './http-url';

export interface CreateIssueConfirmationInput {
  issueKey: string;
  summary: string;
  url: string;
  /** Set when Jira created the issue but the link back to the Teams message failed. */
  warning?: string;
}

/**
 * Closes the create dialog: the new issue's key and summary, and a way to open it. The full
 * issue card goes to the conversation; this one answers the person who created it.
 */
export function createIssueConfirmationCard({ issueKey, summary, url, warning }: CreateIssueConfirmationInput): AdaptiveCard {
  return adaptiveCard(
    [
      { type: 'TextBlock', text: `Created ${escapeCardText(issueKey)}`, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: escapeCardText(summary), wrap: true, spacing: 'None' },
      ...(warning ? [{ type: 'TextBlock', text: warning, color: 'Warning', wrap: true, isSubtle: true }] : []),
    ],
    httpUrl(url) ? [{ type: 'Action.OpenUrl', title: 'Open in Jira', url: httpUrl(url) }] : [],
  );
}
