/**
 * The JSON shape of an Adaptive Card as this service sends it. Cards target schema 1.5, the
 * newest version every Teams client renders, and must stay under Teams' 28 KB payload limit.
 */
export const CARD_VERSION = '1.5';
export const CARD_MAX_BYTES = 28 * 1024;

export type CardElement = Record<string, unknown> & { type: string };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width?: 'Full' };
}

export function adaptiveCard(body: CardElement[], actions?: CardElement[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions && actions.length > 0 ? { actions } : {}),
  };
}

/** Size of the card as Teams receives it (UTF-8 JSON). */
export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * Adaptive Card TextBlocks interpret a subset of Markdown. Text that comes from users or Jira
 * must show as typed, so its Markdown-significant characters are escaped.
 */
export function escapeCardText(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|>~<])/g, '\\$1');
}
