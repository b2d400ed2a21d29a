import { createHash } from 'node:crypto';
import { adfToPlainText } from '../../jira/adf/adf-to-plain-text';
import { htmlToAdf } from '../../jira/adf/html-to-adf';
import type { TeamsMessage } from '../../jira/adf/message-to-adf';

/** The prefill stays well inside the 28 KB card limit; the full message still goes to Jira as ADF. */
const PREFILL_MAX_CHARS = 6000;

/** The message as editable text for a dialog's description or comment box. */
export function messagePrefill(message: TeamsMessage | undefined): string {
  if (!message) return '';
  return message.contentType === 'text' ? message.content.slice(0, PREFILL_MAX_CHARS) : adfToPlainText(htmlToAdf(message.content, { maxChars: PREFILL_MAX_CHARS }).content);
}

/**
 * A short digest of the prefill. The dialog carries it instead of the text, and a submit whose
 * text still matches it gets the message's rich ADF rather than the plain text.
 */
export function prefillDigest(text: string): string {
  // Clients may send the text back with \r\n line ends; the user did not change it for that.
  return createHash('sha256').update(text.replace(/\r\n?/g, '\n').trim()).digest('base64url').slice(0, 16);
}
