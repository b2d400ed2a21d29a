import assert from 'node:assert/strict';
import { issueCard } from '../../src/cards/issue-card';
import { issueView } from '../support/issue-view';
import { adfToCardText } from '../../src/jira/adf/adf-to-card-text';
import { Verb } from '../../src/cards/verb';
import type { CardElement } from '../../src/cards/adaptive-card';
import { assertValidCard, cardText } from '../support/validate-card';
import { renderCardMarkdown, visibleText } from '../support/render-card-markdown';

/** Every node of a card (body, actions, nested show cards) with a given property value. */
function find(card: unknown, predicate: (node: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (predicate(record)) found.push(record);
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}

const byType = (card: unknown, type: string) => find(card, (n) => n.type === type);
const actionTitles = (card: { actions?: CardElement[] }) => (card.actions ?? []).map((a) => a.title);

describe('issueCard', () => {
  it('shows the issue at a glance and is valid Adaptive Card 1.5', () => {
    const card = issueCard(issueView());
    assertValidCard(card);
    const text = cardText(card);
    for (const expected of [
      '[PROJ\\-42](https://acme.atlassian.net/browse/PROJ-42) · Bug',
      'Checkout fails for saved cards',
      'IN PROGRESS',
      'Priority: High',
      'Mia Krystof',
      'Sam Lee',
      'Labels: payments, regression',
      'Main order flow broken',
    ]) {
      assert.ok(text.includes(expected), `missing ${expected} in\n${text}`);
    }
    assert.match(text, /Priority: High · Updated \{\{DATE\(2026-11-28T09:15:00Z, SHORT\)\}\} \{\{TIME\(2026-11-28T09:15:00Z\)\}\}/);
    const avatar = find(card, (n) => n.type === 'Image' && n.style === 'Person');
    assert.equal(avatar.length, 1);
    assert.match(String(avatar[0].url), /MK-5\.png/);
    assert.equal(byType(card, 'Image').filter((i) => String(i.url).endsWith('bug.png')).length, 1, 'type icon');
    assert.equal(card.fallbackText, 'PROJ-42: Checkout fails for saved cards');
  });

  it('offers Universal Actions that carry the key and the site', () => {
    const card = issueCard(issueView());
    assert.deepEqual(actionTitles(card), ['Assign to me', 'Change status', 'Comment', 'Open in Jira', 'Watch']);
    assert.deepEqual(
      card.actions?.map((a) => a.mode ?? 'primary'),
      ['primary', 'primary', 'primary', 'secondary', 'secondary'],
      'three buttons, the rest in the menu',
    );
    const data = { key: 'PROJ-42', site: 'acme.atlassian.net' };
    const executes = byType(card, 'Action.Execute');
    assert.deepEqual(executes.map((a) => a.verb).sort(), [Verb.Assign, Verb.Comment, Verb.Refresh, Verb.Transition, Verb.Watch].sort());
    for (const action of executes) assert.deepEqual(action.data, data);

    const [choice] = byType(card, 'Input.ChoiceSet');
    assert.equal(choice.id, 'transitionId');
    assert.deepEqual(choice.choices, [
      { title: 'To Do', value: '11' },
      { title: 'Resolve → Done', value: '31' },
    ]);
    const [comment] = byType(card, 'Input.Text');
    assert.equal(comment.id, 'comment');
    assert.equal(comment.isMultiline, true);
    assert.deepEqual(card.refresh?.action, { type: 'Action.Execute', title: 'Refresh', verb: Verb.Refresh, data });
    assert.equal(card.actions?.find((a) => a.type === 'Action.OpenUrl')?.url, 'https://acme.atlassian.net/browse/PROJ-42');
  });

  it('colours the status by its category', () => {
    const colours = { new: 'Default', indeterminate: 'Accent', done: 'Good', unknown: 'Default' } as const;
    for (const [category, color] of Object.entries(colours)) {
      const card = issueCard(issueView({ status: { name: 'Some status', category: category as keyof typeof colours } }));
      const badge = find(card, (n) => n.type === 'TextBlock' && n.text === 'SOME STATUS');
      assert.deepEqual(
        badge.map((c) => c.color),
        [color],
        category,
      );
    }
  });

  it('hides what does not apply: assign for the assignee, watch when unknown, status without transitions', () => {
    const mine = issueCard(issueView({ transitions: [], watching: undefined }), { viewerAccountId: 'acc-mia' });
    assertValidCard(mine);
    assert.deepEqual(actionTitles(mine), ['Comment', 'Open in Jira']);
    const watched = issueCard(issueView({ watching: true }), { viewerAccountId: 'acc-other' });
    assert.deepEqual(actionTitles(watched), ['Assign to me', 'Change status', 'Comment', 'Open in Jira', 'Stop watching']);
    assert.equal(watched.actions?.find((a) => a.title === 'Stop watching')?.verb, Verb.Unwatch);
  });

  it('shows who is unassigned, and leaves out missing facts', () => {
    const card = issueCard({ key: 'X-1', url: 'https://acme.atlassian.net/browse/X-1', summary: '', labels: [], transitions: [] });
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Unassigned/);
    assert.doesNotMatch(text, /Priority|Labels|Updated/);
    assert.equal(byType(card, 'Image').length, 0);
  });

  it('refreshes automatically for at most 60 users, and adds a Refresh button in big conversations', () => {
    const ids = Array.from({ length: 80 }, (_, i) => `29:user-${i % 70}`);
    const big = issueCard(issueView(), { refreshUserIds: ids, memberCount: 200 });
    assertValidCard(big);
    assert.equal(big.refresh?.userIds?.length, 60);
    assert.equal(new Set(big.refresh?.userIds).size, 60);
    assert.equal(big.actions?.at(-1)?.verb, Verb.Refresh);
    assert.equal(big.actions?.length, 6, 'Teams shows six actions at most');

    const small = issueCard(issueView(), { memberCount: 60 });
    assert.equal(small.refresh?.userIds, undefined, 'everyone in a conversation of 60 or fewer refreshes');
    assert.ok(!actionTitles(small).includes('Refresh'));
  });

  it('puts a notice above the card', () => {
    const card = issueCard(issueView(), { notice: { text: 'Moved to *Done*', tone: 'good' } });
    assertValidCard(card);
    assert.equal(card.body[0].type, 'Container');
    assert.equal(card.body[0].style, 'good');
    assert.match(cardText(card), /Moved to \\\*Done\\\*/);
  });

  it('has no actions and no refresh when read-only', () => {
    const card = issueCard(issueView(), { actions: false });
    assertValidCard(card);
    assert.equal(card.actions, undefined);
    assert.equal(card.refresh, undefined);
  });

  it('never links to a non-http URL', () => {
    const card = issueCard(issueView({ url: 'javascript:alert(1)' }));
    assertValidCard(card);
    assert.ok(!actionTitles(card).includes('Open in Jira'));
    assert.doesNotMatch(cardText(card), /javascript|\]\(/);
    const odd = issueCard(issueView({ url: 'https://acme.atlassian.net/browse/A-1?x=(y) z' }));
    assert.match(cardText(odd), /\]\(https:\/\/acme\.atlassian\.net\/browse\/A-1\?x=%28y%29%20z\)/, 'parentheses cannot end the link');
  });

  it('stays under 28 KB with everything at its worst, and shows hostile text as typed', () => {
    const summary = '**URGENT** <img src=x onerror=alert(1)> [click](https://evil.example) # {{DATE(2017-02-14T06:08:39Z)}} &amp; _x_ | ~~y~~';
    const hugeDescription = {
      type: 'doc',
      version: 1,
      content: Array.from({ length: 5000 }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `**${i}** <b>x</b> `.repeat(20) }] })),
    };
    const view = issueView({
      summary,
      labels: Array.from({ length: 100 }, (_, i) => `label-${i}-${'x'.repeat(30)}`),
      transitions: Array.from({ length: 50 }, (_, i) => ({ id: String(1000 + i), name: `Transition ${i} ${'y'.repeat(80)}`, toStatus: `Status ${i} ${'z'.repeat(60)}` })),
      descriptionMarkdown: adfToCardText(hugeDescription, { maxLength: 400 }),
      assignee: { accountId: 'a', displayName: '<script>alert(1)</script>'.repeat(10), avatarUrl: 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/a.png' },
      priority: { name: '**Highest**' },
    });
    const card = issueCard(view, {
      refreshUserIds: Array.from({ length: 500 }, (_, i) => `29:${'u'.repeat(80)}${i}`),
      memberCount: 5000,
      notice: { text: '<b>n</b>'.repeat(200), tone: 'attention' },
    });
    assertValidCard(card);

    const summaryBlock = byType(card, 'TextBlock').find((t) => t.size === 'Medium');
    assert.ok(summaryBlock);
    const html = renderCardMarkdown(String(summaryBlock.text));
    assert.equal(visibleText(html), summary);
    assert.doesNotMatch(html.slice(3), /<(?!\/p>)/, 'no markup from the summary');
    for (const block of byType(card, 'TextBlock')) {
      const rendered = renderCardMarkdown(String(block.text).replace(/\{\{(DATE|TIME)\([^)]*\)\}\}/g, 'date'));
      assert.doesNotMatch(rendered, /<(img|script|h\d|b>)/, `escaped: ${String(block.text)}`);
      for (const [, href] of rendered.matchAll(/<a href="([^"]*)"/g)) assert.equal(href, view.url, 'the only link is the key');
    }
    assert.match(cardText(card), /and 88 more/);
    assert.equal((byType(card, 'Input.ChoiceSet')[0].choices as unknown[]).length, 50);
  });
});
