import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../../scripts/chromium/launch-chromium';
import { actOnCard, renderCards, type RenderedCard, type Theme } from '../../../../scripts/render-cards/render-card-page';
import { sampleCards } from '../../../../scripts/render-cards/sample-cards';

/** Draws every sample card with the adaptivecards renderer and Teams' host configs in Chromium. */
describe('cards in the Adaptive Cards renderer (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  const rendered = new Map<string, RenderedCard>();

  before(async () => {
    browser = await launchChromium();
    for (const theme of ['light', 'dark'] as Theme[]) {
      for (const card of await renderCards(browser, sampleCards(), { theme, screenshot: false })) rendered.set(`${card.name}/${theme}`, card);
    }
  });

  after(async () => {
    await browser?.close();
  });

  it('renders every card in both themes without renderer warnings', () => {
    assert.equal(rendered.size, sampleCards().length * 2);
    for (const [name, card] of rendered) {
      assert.deepEqual(card.warnings, [], name);
      assert.ok(card.height > 50, `${name} has content`);
    }
  });

  it('formats the updated time and shows hostile Jira text literally', () => {
    const issue = rendered.get('issue/light')!;
    assert.match(issue.text, /Updated \w{3}, \w{3} \d{1,2}, 2026/);
    assert.doesNotMatch(issue.text, /\{\{|\\/);
    assert.match(issue.text, /\nSave a card that expires this month\nWait until it expires\n/, 'an ordered list, one item a line');

    const worst = rendered.get('issue-worst-case/dark')!;
    assert.ok(worst.text.includes('**URGENT** <b>html</b> [click me](https://evil.example) # {{DATE(2017-02-14T06:08:39Z)}} _x_ `y` &amp;'), worst.text);
  });

  it('sends the chosen transition and the typed comment with the card data, as Teams would', async () => {
    const issue = sampleCards().find((c) => c.name === 'issue')!;
    const transition = await actOnCard(browser, { ...issue, expand: ['Change status'] }, { select: '31' }, 'Apply');
    assert.deepEqual(transition, { executed: { type: 'Action.Execute', verb: 'jira.transition', data: { key: 'SHOP-1423', site: 'acme.atlassian.net', transitionId: '31' } } });

    const comment = await actOnCard(browser, { ...issue, expand: ['Comment'] }, { textarea: 'Fixed in **build 42**' }, 'Add comment');
    assert.deepEqual(comment, {
      executed: { type: 'Action.Execute', verb: 'jira.comment', data: { key: 'SHOP-1423', site: 'acme.atlassian.net', comment: 'Fixed in **build 42**' } },
    });

    const empty = await actOnCard(browser, { ...issue, expand: ['Comment'] }, {}, 'Add comment');
    assert.match(empty.error ?? '', /nothing executed/, 'an empty comment is stopped by the required input');

    const assign = await actOnCard(browser, issue, {}, 'Assign to me');
    assert.deepEqual(assign.executed?.data, { key: 'SHOP-1423', site: 'acme.atlassian.net' }, 'no show-card inputs leak into other actions');
  });

  it('fits the issue card actions on one row with the rest in the overflow menu', () => {
    const issue = rendered.get('issue/light')!;
    assert.match(issue.text, /Assign to me\s+Change status\s+Comment\s+\.\.\./);
  });
});
