import { adaptiveCard, escapeCardText, type AdaptiveCard } from './adaptive-card';
import { httpUrl } from './http-url';

export interface AddCommentConfirmationInput {
  issueKey: string;
  issueSummary: string;
  /** Browse URL of the issue, pointing at the new comment when Jira gave its id. */
  url: string;
}

/** Tells the user their comment is on the issue, with a way to open it in Jira. */
export function addCommentConfirmationCard({ issueKey, issueSummary, url }: AddCommentConfirmationInput): AdaptiveCard {
  return adaptiveCard(
    [
      { type: 'TextBlock', text: `Comment added to ${escapeCardText(issueKey)}`, weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: escapeCardText(issueSummary), wrap: true, isSubtle: true, spacing: 'None' },
    ],
    httpUrl(url) ? [{ type: 'Action.OpenUrl', title: 'Open in Jira', url: httpUrl(url) }] : [],
  );
}
