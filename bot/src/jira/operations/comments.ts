import type { AdfDoc } from '../adf/adf-node';
import { textToAdf } from '../adf/text-to-adf';
import type { JiraClient } from '../create-jira-client';
import { browseUrl } from '../site-url';

export interface AddedComment {
  id: string;
  /** The comment in Jira's UI (the issue, when Jira gave no id). */
  url: string;
}

/** Adds an ADF comment as the client's user. */
export async function addComment(jira: JiraClient, key: string, body: AdfDoc): Promise<AddedComment> {
  const comment = await jira.v3.issueComments.addComment({ issueIdOrKey: key, comment: body });
  const id = String(comment.id ?? '');
  const issueUrl = browseUrl(jira.siteUrl, key);
  return { id, url: id ? `${issueUrl}?focusedCommentId=${encodeURIComponent(id)}` : issueUrl };
}

/**
 * Adds what a user typed as a comment. Every plain-text path (a card's comment box, a reply in
 * an alert thread, the compose dialog) goes through textToAdf, so Jira gets one shape.
 */
export function addTextComment(jira: JiraClient, key: string, text: string): Promise<AddedComment> {
  return addComment(jira, key, textToAdf(text));
}
