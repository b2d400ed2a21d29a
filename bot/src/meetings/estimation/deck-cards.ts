/** The decks a backlog may vote with; `custom` takes its own numbers. */
export const DECK_KINDS = ['fibonacci', 'modified-fibonacci', 't-shirt', 'powers-of-two', 'custom'] as const;
export type DeckKind = (typeof DECK_KINDS)[number];

/** One card: what the voter sees, and the number it stands for (none for "?" and coffee). */
export interface DeckCard {
  label: string;
  value: number | null;
}

/** "I cannot say" and "I need a break": on every deck, never counted in the numbers. */
export const UNSURE = '?';
export const COFFEE = 'coffee';

const NUMBERS: Record<Exclude<DeckKind, 't-shirt' | 'custom'>, number[]> = {
  fibonacci: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
  'modified-fibonacci': [0, 0.5, 1, 2, 3, 5, 8, 13, 20, 40, 100],
  'powers-of-two': [0, 1, 2, 4, 8, 16, 32, 64],
};

/** T-shirt sizes stand for story points, so an accepted size still writes a number to Jira. */
const T_SHIRT: DeckCard[] = [
  { label: 'XS', value: 1 },
  { label: 'S', value: 2 },
  { label: 'M', value: 3 },
  { label: 'L', value: 5 },
  { label: 'XL', value: 8 },
  { label: 'XXL', value: 13 },
];

export const MAX_CUSTOM_CARDS = 20;

/**
 * The cards of a deck, lowest first, then "?" and coffee. A custom deck keeps its distinct,
 * non-negative finite numbers in ascending order (at most MAX_CUSTOM_CARDS); an empty one falls
 * back to Fibonacci so a round always has something to vote with.
 */
export function deckCards(kind: DeckKind, custom: readonly number[] = []): DeckCard[] {
  let cards: DeckCard[];
  if (kind === 't-shirt') cards = T_SHIRT.map((card) => ({ ...card }));
  else if (kind === 'custom') {
    const numbers = [...new Set(custom.filter((n) => Number.isFinite(n) && n >= 0))].sort((a, b) => a - b).slice(0, MAX_CUSTOM_CARDS);
    cards = (numbers.length ? numbers : NUMBERS.fibonacci).map(numberCard);
  } else cards = NUMBERS[kind].map(numberCard);
  return [...cards, { label: UNSURE, value: null }, { label: COFFEE, value: null }];
}

function numberCard(value: number): DeckCard {
  return { label: String(value), value };
}
