import assert from 'node:assert/strict';
import { COFFEE, deckCards, UNSURE } from '../../../src/meetings/estimation/deck-cards';
import { summarizeVotes } from '../../../src/meetings/estimation/summarize-votes';

describe('estimation decks', () => {
  const labels = (cards: ReturnType<typeof deckCards>) => cards.map((c) => c.label);

  it('offers each deck lowest first, always ending in "?" and coffee, which stand for no number', () => {
    assert.deepEqual(labels(deckCards('fibonacci')), ['0', '1', '2', '3', '5', '8', '13', '21', '34', '55', '89', UNSURE, COFFEE]);
    assert.deepEqual(labels(deckCards('modified-fibonacci')), ['0', '0.5', '1', '2', '3', '5', '8', '13', '20', '40', '100', UNSURE, COFFEE]);
    assert.deepEqual(labels(deckCards('powers-of-two')), ['0', '1', '2', '4', '8', '16', '32', '64', UNSURE, COFFEE]);
    for (const kind of ['fibonacci', 't-shirt', 'custom'] as const) {
      const cards = deckCards(kind, [3, 1]);
      assert.deepEqual(cards.slice(-2), [
        { label: UNSURE, value: null },
        { label: COFFEE, value: null },
      ]);
    }
  });

  it('maps T-shirt sizes to story points, so an accepted size writes a number', () => {
    assert.deepEqual(
      deckCards('t-shirt').filter((c) => c.value !== null),
      [
        { label: 'XS', value: 1 },
        { label: 'S', value: 2 },
        { label: 'M', value: 3 },
        { label: 'L', value: 5 },
        { label: 'XL', value: 8 },
        { label: 'XXL', value: 13 },
      ],
    );
  });

  it('sorts a custom deck, drops duplicates, negatives and non-numbers, and falls back to Fibonacci when empty', () => {
    assert.deepEqual(labels(deckCards('custom', [8, 2, 2, -1, Number.NaN, 0.5, Infinity])), ['0.5', '2', '8', UNSURE, COFFEE]);
    assert.deepEqual(labels(deckCards('custom', [])), labels(deckCards('fibonacci')));
    assert.equal(
      deckCards(
        'custom',
        Array.from({ length: 40 }, (_, i) => i),
      ).length,
      20 + 2,
    );
  });
});

describe('summarizing a reveal', () => {
  const fib = deckCards('fibonacci');

  it('gives the distribution in deck order, median, average, and no consensus on split votes', () => {
    const summary = summarizeVotes(fib, ['8', '3', '5', '8']);
    assert.deepEqual(summary.distribution, [
      { label: '3', count: 1 },
      { label: '5', count: 1 },
      { label: '8', count: 2 },
    ]);
    assert.equal(summary.median, 6.5);
    assert.equal(summary.average, 6);
    assert.equal(summary.consensus, false);
    // 6.5 is as near 5 as 8: the higher card is offered.
    assert.equal(summary.suggested, 8);
  });

  it('leaves "?" and coffee out of the numbers, and a "?" breaks consensus', () => {
    const summary = summarizeVotes(fib, ['5', UNSURE, COFFEE, '5']);
    assert.equal(summary.median, 5);
    assert.equal(summary.average, 5);
    assert.equal(summary.consensus, false);
    assert.deepEqual(
      summary.distribution.map((d) => d.label),
      ['5', UNSURE, COFFEE],
    );
  });

  it('calls it consensus when every vote is the same number, and suggests it', () => {
    assert.deepEqual(summarizeVotes(fib, ['13', '13']), { distribution: [{ label: '13', count: 2 }], median: 13, average: 13, consensus: true, suggested: 13 });
  });

  it('has no numbers when nobody voted a number', () => {
    assert.deepEqual(summarizeVotes(fib, [UNSURE]), { distribution: [{ label: UNSURE, count: 1 }], median: null, average: null, consensus: false, suggested: null });
    assert.equal(summarizeVotes(fib, []).median, null);
  });

  it('counts T-shirt sizes by the points they stand for', () => {
    const summary = summarizeVotes(deckCards('t-shirt'), ['S', 'L', 'XL']);
    assert.equal(summary.median, 5);
    assert.equal(summary.average, 5);
    assert.equal(summary.suggested, 5);
  });
});
