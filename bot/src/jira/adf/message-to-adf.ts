import type { AdfDoc, AdfInline } from './adf-node';
import { htmlToAdf, type HtmlToAdfOptions } from './html-to-adf';
import { safeHref } from './safe-href';
import { textToAdf } from './text-to-adf';

/** What a message action knows about the message it was started from. */
export interface TeamsMessage {
  /** `messagePayload.body.content`. */
  content: string;
  /** `messagePayload.body.contentType`; Teams sends `html` for typed messages. */
  contentType?: 'html' | 'text';
  /** `messagePayload.from.user.displayName`. */
  authorName?: string;
  /** The channel or chat name (`conversation.name`), when Teams gives one. */
  conversationName?: string;
  /** `messagePayload.linkToMessage`. */
  link?: string;
}

/** The attribution line: who wrote the message, where, and a link back to it. */
function attribution(message: TeamsMessage): AdfInline[] {
  const who = message.authorName?.trim() || 'a Teams user';
  const where = message.conversationName?.trim();
  const label = where ? `message by ${who} in ${where}` : `message by ${who}`;
  const href = safeHref(message.link);
  return [
    { type: 'text', text: 'From Teams: ', marks: [{ type: 'em' }] },
    href ? { type: 'text', text: label, marks: [{ type: 'em' }, { type: 'link', attrs: { href } }] } : { type: 'text', text: label, marks: [{ type: 'em' }] },
  ];
}

/**
 * A Jira description or comment for a Teams message: its content converted to ADF, then a
 * "From Teams" line naming the author and conversation and linking back to the message.
 */
export function messageToAdf(message: TeamsMessage, options: HtmlToAdfOptions = {}): AdfDoc {
  const doc = message.contentType === 'text' ? textToAdf(message.content, options.maxChars) : htmlToAdf(message.content, options);
  doc.content.push({ type: 'paragraph', content: attribution(message) });
  return doc;
}
