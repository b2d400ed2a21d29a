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
  /** Universal Actions: the Action.Execute a Teams client invokes to fetch a fresh card. */
  refresh?: { action: CardElement; userIds?: string[] };
  /** What a client that cannot render the card shows, and what notifications quote. */
  fallbackText?: string;
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
 * Adaptive Card TextBlocks interpret a subset of Markdown (Teams renders bold, italic, lists and
 * links; other clients more of CommonMark, entities included). Text that comes from users or Jira
 * must show as typed, so every character CommonMark could read as syntax is backslash-escaped,
 * `{` included so that `{{DATE(...)}}` in Jira text is not reformatted. Leading blanks become
 * no-break spaces because four of them would start a code block.
 *
 * Parentheses and `=` are syntax only in one place each (`](` of a link, whose `[` and `]` are
 * escaped; `1)` and a `===` underline at the start of a line), so they are escaped only there: some
 * Teams clients and the Agents Playground show a backslash as typed, and Jira's errors are full of
 * "(line 1, character 9)" and "= currentUser()".
 */
export function escapeCardText(text: string): string {
  return (
    String(text)
      .replace(/\r\n?/g, '\n')
      .replace(CONTROL_CHARACTERS, '')
      .replace(/([\\`*_{}[\]#+\-!|>~<&])/g, '\\$1')
      // An ordered-list marker is digits and a dot or parenthesis at the start of a line; elsewhere they are text.
      .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2')
      .replace(/^([ \t]*)=/gm, '$1\\=')
      .replace(/^[ \t]+/gm, (blanks) => '\u00a0'.repeat(blanks.length))
  );
}

/** Escapes text for a single-line slot (a summary, a name, a label): whitespace runs become one space. */
export function escapeCardLine(text: string): string {
  return escapeCardText(String(text).replace(/\s+/g, ' ').trim());
}

// C0 and C1 controls other than tab and newline: they render as boxes or not at all.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
