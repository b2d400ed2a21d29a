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
  let clean = String(text);
  // Carriage returns and control characters are rare: a pass of their own only when there are any.
  if (NEEDS_CLEANING.test(clean)) clean = clean.replace(CLEANING, (match) => (match[0] === '\r' ? '\n' : ''));
  // One pass: at a line's start its blanks (each a no-break space) and a list marker or `=`, elsewhere a syntax character.
  return clean.replace(ESCAPES, (match: string, blanks?: string, digits?: string, marker?: string, equals?: string) => {
    if (blanks === undefined) return match[0] === ' ' || match[0] === '\t' ? NBSP.repeat(match.length) : `\\${match}`;
    return `${NBSP.repeat(blanks.length)}${digits ?? ''}\\${marker ?? equals}`;
  });
}

/** Escapes text for a single-line slot (a summary, a name, a label): whitespace runs become one space. */
export function escapeCardLine(text: string): string {
  return escapeCardText(String(text).replace(/\s+/g, ' ').trim());
}

// C0 and C1 controls other than tab and newline: they render as boxes or not at all.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_CLEANING = /[\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CLEANING = /\r\n?|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/**
 * Alternatives in the order they must win at a position: a line start with blanks and an ordered-list
 * marker (`1.`, `2)`) or a `===` underline's `=` (groups: blanks, digits, marker, `=`); a line
 * start's blanks alone; any other character CommonMark could read as syntax.
 */
const ESCAPES = /^([ \t]*)(?:(\d+)([.)])|(=))|^[ \t]+|[\\`*_{}[\]#+\-!|>~<&]/gm;
const NBSP = '\u00a0';
