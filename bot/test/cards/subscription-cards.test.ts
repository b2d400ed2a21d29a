import assert from 'node:assert/strict';
import { subscribeStartCard, subscriptionFormCard } from '../../src/cards/subscription-form-card';
import { subscriptionListCard } from '../../src/cards/subscription-list-card';
import { SubscriptionVerb } from '../../src/cards/subscription-verb';
import { assertValidCard, cardText } from '../support/validate-card';

describe('subscription cards', () => {
  it('renders the dialog prefilled, with an error banner, as a valid card', () => {
    const card = subscriptionFormCard({
      subscriptionId: 'sub-1',
      sites: [{ url: 'https://acme.atlassian.net', name: 'Acme' }],
      site: 'https://acme.atlassian.net',
      projects: ['PHX'],
      jql: 'labels = "a"',
      eventKinds: ['created', 'resolved'],
      statuses: ['Done'],
      fields: [],
      twoWayThreads: true,
      error: "Jira does not accept this JQL: Field 'x' does not exist",
    });
    assertValidCard(card);
    const json = JSON.stringify(card);
    assert.match(cardText(card), /Field 'x' does not exist/);
    assert.match(json, /"value":"created,resolved"/);
    assert.match(json, /"value":"true"/);
    assert.deepEqual(card.actions?.[0].data, { verb: SubscriptionVerb.Save, subscriptionId: 'sub-1' });
    assertValidCard(subscribeStartCard('Only a team owner can do that.'));
  });

  it('lists subscriptions with their state and actions, escaping user text, and stays under the size limit', () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      id: `sub-${i}`,
      site: 'https://acme.atlassian.net',
      projects: ['PHX'],
      jql: `summary ~ "*crash*" AND labels = x${'y'.repeat(300)}`,
      eventKinds: ['created', 'commented'],
      muted: i === 0,
      twoWayThreads: false,
      parked: i === 1 ? { count: 2, lastCode: 'TEAMS_403' } : { count: 0 },
    }));
    const card = subscriptionListCard(items);
    assertValidCard(card);
    const text = cardText(card);
    assert.match(text, /\*\*PHX\*\* \(muted\)/);
    assert.match(text, /summary \\~ "\\\*crash\\\*"/);
    assert.match(text, /2 alerts could not be delivered \(last reason: TEAMS\\_403\)/);
    assert.match(text, /and 5 more/);
    const json = JSON.stringify(card);
    assert.match(json, new RegExp(SubscriptionVerb.Unmute.replace('.', '\\.')));
    assert.match(json, new RegExp(SubscriptionVerb.RetryParked.replace('.', '\\.')));
    assert.doesNotMatch(JSON.stringify(subscriptionListCard(items, { canManage: false })), /alerts\.subscription\.mute/);
    assert.match(cardText(subscriptionListCard([])), /Type \*\*subscribe\*\*/);
  });
});
