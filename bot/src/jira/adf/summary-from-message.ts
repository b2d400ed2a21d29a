import { flattenToInline } from './flatten-to-inline';
import { htmlToAdf } from './html-to-adf';

/** Jira rejects a summary longer than this. */
export const SUMMARY_MAX_LENGTH = 255;

/** Cuts text to `max` characters at a word boundary, ending with an ellipsis. */
export function truncateOnWord(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
  const space = text.lastIndexOf(' ', cut);
  // A word longer than a third of the room (a URL, say) is cut mid-word rather than dropped.
  if (space > max / 3) cut = space;
  return `${text.slice(0, cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}

/**
 * A Jira summary from a Teams message: its first line of text (mentions as names, emoji
 * kept), whitespace collapsed, at most 255 characters, cut on a word with an ellipsis.
 * Empty when the message has no text.
 */
export function summaryFromMessage(content: string, contentType: 'html' | 'text' = 'html'): string {
  let firstLine: string;
  if (contentType === 'text') {
    firstLine = content.split(/\r\n?|\n/).find((line) => line.trim() !== '') ?? '';
  } else {
    const doc = htmlToAdf(content, { maxChars: 4 * SUMMARY_MAX_LENGTH });
    const inline = flattenToInline(doc.content.slice(0, 1), { type: 'hardBreak' });
    const end = inline.findIndex((node) => node.type === 'hardBreak');
    firstLine = (end === -1 ? inline : inline.slice(0, end))
      .map((node) => (node.type === 'text' ? node.text : node.type === 'mention' ? node.attrs.text.replace(/^@/, '') : ''))
      .join('');
  }
  return truncateOnWord(firstLine.replace(/\s+/g, ' ').trim(), SUMMARY_MAX_LENGTH);
}
