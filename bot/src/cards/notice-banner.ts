import { escapeCardLine, type CardElement } from './adaptive-card';
import { clipText } from './clip-text';

export type NoticeTone = 'good' | 'attention' | 'default';

export interface CardNotice {
  /** Plain text; escaped here. */
  text: string;
  tone: NoticeTone;
}

/** A coloured line on top of a card: what an action did, or why it failed. */
export function noticeBanner(notice: CardNotice): CardElement {
  return {
    type: 'Container',
    style: notice.tone === 'default' ? 'emphasis' : notice.tone,
    items: [{ type: 'TextBlock', text: escapeCardLine(clipText(notice.text, 500)), wrap: true, size: 'Small' }],
  };
}
