import assert from 'node:assert/strict';
import { issueNoAccessCard } from '../../src/cards/issue-no-access-card';
import { issueNotFoundCard } from '../../src/cards/issue-not-found-card';
import { signInCard } from '../../src/cards/sign-in-card';
import { issuePreview } from '../../src/cards/issue-preview';
import { messageCard } from '../../src/cards/message-card';
import { assertValidCard, cardText } from '../support/validate-card';
import { issueView } from '../support/issue-view';

describe('issueNoAccessCard', () => {
  it('names the key and the missing permission, and nothing else', () => {
    const card = issueNoAccessCard('SEC-9', 'https://acme.atlassian.net/browse/SEC-9');
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /SEC\\-9/);
    assert.match(text, /Browse projects/);
    assert.equal(card.body.length, 2, 'a title and an explanation only');
    assert.equal(card.actions?.[0].url, 'https://acme.atlassian.net/browse/SEC-9');
    assert.equal(card.refresh, undefined);
  });

  it('escapes whatever key it is given', () => {
    const card = issueNoAccessCard('[x](https://evil.example)', 'javascript:alert(1)');
    assertValidCard(card);
    assert.match(cardText(card), /\\\[x\\\]\(https:\/\/evil/);
    assert.equal(card.actions, undefined);
  });
});

describe('issueNotFoundCard', () => {
  it('says the issue does not exist', () => {
    const card = issueNotFoundCard('PROJ-404');
    assertValidCard(card);
    assert.match(cardText(card), /PROJ\\-404[^]*doesn't exist/);
  });
});

describe('signInCard', () => {
  it('shows the key and a sign-in prompt, no issue data', () => {
    const card = signInCard({ key: 'PROJ-1', url: 'https://ACME.atlassian.net/browse/PROJ-1', signInUrl: 'https://bot.example/auth/start?state=abc' });
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /Jira issue PROJ\\-1/);
    assert.match(text, /acme\\\.atlassian\\\.net|acme.atlassian.net/);
    assert.match(text, /Connect your Jira account/);
    assert.deepEqual(
      card.actions?.map((a) => a.title),
      ['Sign in to Jira', 'Open in Jira'],
    );
  });

  it('works for links without a key and without a sign-in URL', () => {
    const card = signInCard({ url: 'https://acme.atlassian.net/issues/?filter=1', signInUrl: 'javascript:x' });
    assertValidCard(card);
    assert.match(cardText(card), /Jira link/);
    assert.match(cardText(card), /type \*\*connect\*\*/, 'says how to connect without a sign-in button');
    assert.deepEqual(
      card.actions?.map((a) => a.title),
      ['Open in Jira'],
    );
  });
});

describe('issuePreview', () => {
  it('is a thumbnail with key, summary, status and assignee, HTML escaped in its text', () => {
    const preview = issuePreview(issueView({ assignee: { displayName: 'Ann <b>&</b>' } }));
    assert.equal(preview.contentType, 'application/vnd.microsoft.card.thumbnail');
    assert.equal(preview.content.title, 'PROJ-42: Checkout fails for saved cards');
    assert.equal(preview.content.text, 'In Progress · Ann &lt;b&gt;&amp;&lt;/b&gt;');
    assert.match(preview.content.images?.[0].url ?? '', /bug\.png$/);
  });

  it('says unassigned and leaves out what it does not know', () => {
    const preview = issuePreview({ key: 'A-1', summary: 'x'.repeat(300) });
    assert.equal(preview.content.text, 'Unassigned');
    assert.ok(preview.content.title.length <= 120);
    assert.equal(preview.content.images, undefined);
  });
});

describe('messageCard', () => {
  it('shows an escaped message in the tone asked for, with details', () => {
    const card = messageCard({ text: 'Jira rejected the JQL', tone: 'attention', details: ["Error in the JQL Query: The character '*' is a reserved JQL character."] });
    assertValidCard(card);
    assert.equal(card.body[0].style, 'attention');
    assert.match(cardText(card), /reserved JQL character/);
    assert.match(cardText(card), /'\\\*'/);
  });
});
