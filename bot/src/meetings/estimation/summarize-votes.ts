import type { DeckCard } from './deck-cards';

export interface VoteSummary {
  /** Every card voted, with how many chose it, in deck order. */
  distribution: Array<{ label: string; count: number }>;
  /** Over the votes that stand for a number ("?" and coffee are not counted); null when there are none. */
  median: number | null;
  average: number | null;
  /** Everyone who voted chose the same numbered card. */
  consensus: boolean;
  /** The value to offer for accepting: the consensus card, else the deck card nearest the median (the higher one on a tie). */
  suggested: number | null;
}

/** The numbers of a reveal, from the labels voted and the round's deck. */
export function summarizeVotes(cards: readonly DeckCard[], votes: readonly string[]): VoteSummary {
  const counts = new Map<string, number>();
  for (const label of votes) counts.set(label, (counts.get(label) ?? 0) + 1);
  const distribution = cards.filter((c) => counts.has(c.label)).map((c) => ({ label: c.label, count: counts.get(c.label)! }));
  const valueOf = new Map(cards.map((c) => [c.label, c.value]));
  const numbers = votes
    .map((label) => valueOf.get(label))
    .filter((v): v is number => typeof v === 'number')
    .sort((a, b) => a - b);
  if (numbers.length === 0) return { distribution, median: null, average: null, consensus: false, suggested: null };
  const middle = Math.floor(numbers.length / 2);
  const median = numbers.length % 2 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
  const average = round2(numbers.reduce((sum, n) => sum + n, 0) / numbers.length);
  const consensus = numbers.length === votes.length && distribution.length === 1;
  return { distribution, median, average, consensus, suggested: consensus ? numbers[0] : nearestCard(cards, median) };
}

function nearestCard(cards: readonly DeckCard[], target: number): number | null {
  let best: number | null = null;
  for (const { value } of cards) {
    if (value === null) continue;
    if (best === null || Math.abs(value - target) <= Math.abs(best - target)) best = value;
  }
  return best;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
