import { adaptiveCard, escapeCardText, type AdaptiveCard } from './adaptive-card';
import { clipText } from './clip-text';
import { noticeBanner, type NoticeTone } from './notice-banner';

export interface MessageCardInput {
  /** Plain text; escaped here (it may quote Jira, such as an invalid JQL error). */
  text: string;
  tone?: NoticeTone;
  /** Extra plain-text lines, such as Jira's own error messages. */
  details?: readonly string[];
}

/** A short answer to an action or a command: done, or what went wrong. */
export function messageCard(input: MessageCardInput): AdaptiveCard {
  const details = (input.details ?? []).slice(0, 5).map((line) => ({
    type: 'TextBlock',
    text: escapeCardText(clipText(line, 500)),
    wrap: true,
    isSubtle: true,
    size: 'Small',
    spacing: 'Small',
  }));
  const card = adaptiveCard([noticeBanner({ text: input.text, tone: input.tone ?? 'default' }), ...details]);
  card.fallbackText = clipText(input.text, 200);
  return card;
}
