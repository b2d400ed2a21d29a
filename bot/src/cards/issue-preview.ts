import { clipText } from './clip-text';
import type { IssueCardView } from './issue-card';

export const THUMBNAIL_CARD = 'application/vnd.microsoft.card.thumbnail';

/** The compose-extension preview of an issue: a thumbnail card in the search result list. */
export interface IssuePreview {
  contentType: typeof THUMBNAIL_CARD;
  content: {
    title: string;
    text: string;
    images?: { url: string; alt?: string }[];
  };
}

/**
 * Key, summary, status and assignee, for `composeExtension/query` results and unfurl previews.
 * A thumbnail's title and text take a subset of HTML, so Jira text is HTML-escaped in both.
 */
export function issuePreview(view: Pick<IssueCardView, 'key' | 'summary' | 'status' | 'assignee' | 'type'>): IssuePreview {
  const status = view.status ? clipText(view.status.name, 40) : undefined;
  const assignee = view.assignee ? clipText(view.assignee.displayName, 60) : 'Unassigned';
  return thumbnailPreview(
    `${view.key}: ${view.summary}`,
    [status, assignee].filter(Boolean).join(' · '),
    view.type?.iconUrl ? { url: view.type.iconUrl, alt: view.type.name } : undefined,
  );
}

/** A preview of anything else (a list, a sign-in prompt): title and text are escaped here. */
export function thumbnailPreview(title: string, text: string, image?: { url: string; alt: string }): IssuePreview {
  return {
    contentType: THUMBNAIL_CARD,
    content: {
      // Teams renders a thumbnail's title like its text: a summary's markup must stay text.
      title: escapeHtml(clipText(title, 120)),
      text: escapeHtml(clipText(text, 200)),
      ...(image ? { images: [{ url: image.url, alt: clipText(image.alt, 40) }] } : {}),
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
