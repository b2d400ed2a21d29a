import assert from 'node:assert/strict';
import { meetingRecapCard, type RecapChange } from '../../src/cards/meeting-recap-card';
import { cardBytes, CARD_MAX_BYTES } from '../../src/cards/adaptive-card';
import { assertValidCard, cardText } from '../support/validate-card';
import { renderCardMarkdown, visibleText } from '../support/render-card-markdown';

/** What a reader sees: each TextBlock's Markdown rendered, on its own line. */
const seen = (card: unknown) =>
  cardText(card)
    .split('\n')
    .map((line) => visibleText(renderCardMarkdown(line)).trim())
    .join('\n');

const change = (kind: RecapChange['kind'], n: number, overrides: Partial<RecapChange> = {}): RecapChange => ({
  kind,
  key: `PHX-${n}`,
  summary: `Issue number ${n}`,
  url: `https://acme.atlassian.net/browse/PHX-${n}`,
  by: 'Alice Admin',
  ...overrides,
});

describe('meetingRecapCard', () => {
  it('lists each kind of change with its value, who made it, and a link to each issue', () => {
    const card = meetingRecapCard({
      ended: true,
      changes: [
        change('estimated', 1, { detail: '3 (Story Points)' }),
        change('transitioned', 2, { detail: 'In Progress', by: 'Bob Builder' }),
        change('assigned', 3, { detail: 'Carol Product' }),
        change('ranked', 4),
        change('created', 5),
        // Estimated again later: the later value is the one shown.
        change('estimated', 1, { detail: '5 (Story Points)' }),
      ],
    });
    assertValidCard(card);
    const text = seen(card);
    assert.match(text, /Meeting recap/);
    assert.match(text, /Estimated \(1\)[\s\S]*PHX-1\nIssue number 1 → 5 \(Story Points\)/);
    assert.doesNotMatch(text, /→ 3 \(Story Points\)/);
    assert.match(text, /Created \(1\)[\s\S]*PHX-5/);
    assert.match(text, /Moved to another status \(1\)[\s\S]*PHX-2\nIssue number 2 → In Progress\nBob Builder/);
    assert.match(text, /Assigned \(1\)[\s\S]*→ Carol Product/);
    assert.match(text, /Re-ranked \(1\)[\s\S]*PHX-4/);
    const rows = card.body.filter((e) => e.type === 'ColumnSet');
    assert.deepEqual(rows[0].selectAction, { type: 'Action.OpenUrl', url: 'https://acme.atlassian.net/browse/PHX-1', title: 'Open PHX-1' });
    assert.equal(card.fallbackText, 'Meeting recap: what changed in Jira: estimated 1, created 1, moved to another status 1, assigned 1, re-ranked 1');
  });

  it('shows Jira text as typed, drops links that are not http(s), and says when nothing changed', () => {
    const card = meetingRecapCard({ ended: false, changes: [change('created', 7, { summary: '**bold** [x](javascript:alert(1))', url: 'javascript:alert(1)' })] });
    assertValidCard(card);
    assert.match(seen(card), /\*\*bold\*\* \[x\]\(javascript:alert\(1\)\)/);
    assert.equal(card.body.find((e) => e.type === 'ColumnSet')?.selectAction, undefined);
    const empty = meetingRecapCard({ ended: false, changes: [] });
    assertValidCard(empty);
    assert.match(cardText(empty), /Recap so far[\s\S]*Nothing was changed from the Jira tab/);
  });

  it('stays under 28 KB for a long meeting: rows up to a byte budget, the rest counted', () => {
    const many = (['estimated', 'ranked', 'created', 'transitioned', 'assigned'] as const).flatMap((kind) =>
      Array.from({ length: 60 }, (_, i) => change(kind, i + 1, { summary: 'x'.repeat(300), detail: 'y'.repeat(100), by: 'z'.repeat(100) })),
    );
    const card = meetingRecapCard({ ended: true, changes: many });
    assertValidCard(card);
    assert.ok(cardBytes(card) <= CARD_MAX_BYTES);
    const listed = card.body.filter((e) => e.type === 'ColumnSet').length;
    assert.ok(listed >= 15, `${listed} rows`);
    const counted = [...cardText(card).matchAll(/and (\d+) more/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    assert.equal(listed + counted, 5 * 60, 'every change is listed or counted');
  });
});
