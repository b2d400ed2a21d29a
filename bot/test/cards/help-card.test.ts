import assert from 'node:assert/strict';
import { helpCard, type CommandHelp } from '../../src/cards/help-card';
import { welcomeCard } from '../../src/cards/welcome-card';
import { escapeCardText } from '../../src/cards/adaptive-card';
import { assertValidCard, cardText } from '../support/validate-card';

const commands: CommandHelp[] = [
  { name: 'help', description: 'Show what I can do', scopes: ['personal', 'team', 'groupChat'] },
  { name: 'connect', description: 'Connect your Jira account', scopes: ['personal'] },
  { name: 'show', args: 'KEY', description: 'Show an issue', scopes: ['personal', 'team'] },
];

describe('help card', () => {
  it('lists only the commands of the scope, valid against Adaptive Card 1.5', () => {
    const card = helpCard({ botName: 'Jira', scope: 'team', commands });
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /\*\*help\*\*/);
    assert.match(text, /\*\*show\*\* KEY/);
    assert.doesNotMatch(text, /connect/);
    assert.match(text, /@Jira help/, 'channels need a mention');
  });

  it('tells personal-chat users to just type', () => {
    const card = helpCard({ botName: 'Jira', scope: 'personal', commands });
    assertValidCard(card);
    assert.match(cardText(card), /Type a command/);
    assert.match(cardText(card), /Connect your Jira account/);
  });

  it('says so when a scope has no commands', () => {
    const card = helpCard({ botName: 'Jira', scope: 'groupChat', commands: [commands[1]] });
    assertValidCard(card);
    assert.match(cardText(card), /No commands/);
  });
});

describe('welcome card', () => {
  for (const scope of ['personal', 'team', 'groupChat'] as const) {
    it(`is valid and points to help in ${scope}`, () => {
      const card = welcomeCard({ botName: 'Jira', scope });
      assertValidCard(card);
      assert.match(cardText(card), /help/);
    });
  }
});

describe('card validation', () => {
  it('rejects a card the schema does not allow', () => {
    assert.throws(() => assertValidCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock' }] }));
  });

  it('rejects a card over 28 KB', () => {
    const big = helpCard({
      botName: 'Jira',
      scope: 'personal',
      commands: Array.from({ length: 400 }, (_, i) => ({ name: `c${i}`, description: 'x'.repeat(80), scopes: ['personal'] as const })),
    });
    assert.throws(() => assertValidCard(big), /28 KB/);
  });
});

describe('escapeCardText', () => {
  it('neutralises Markdown so text shows as typed', () => {
    assert.equal(escapeCardText('**bold** [x](http://e) # h'), '\\*\\*bold\\*\\* \\[x\\](http://e) \\# h');
  });
});
