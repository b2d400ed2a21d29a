import assert from 'node:assert/strict';
import { fromInboxRow, toInboxRow } from '../../src/alerts/inbox-row';
import { ALL_EVENT_KINDS, DEFAULT_EVENT_KINDS } from '../../src/alerts/issue-event';
import { alertCard } from '../../src/cards/alert-card';
import { EVENT_CHOICES } from '../../src/cards/subscription-form-card';
import { cardText } from '../support/validate-card';
import { issueEvent } from './issue-event-builder';

/** The compiler checks that every table names every kind; this checks what each table says. */
describe('alert event kinds', () => {
  it('offers every kind in the subscribe dialog, once, in the order of the union', () => {
    assert.deepEqual(
      EVENT_CHOICES.map((choice) => choice.value),
      [...ALL_EVENT_KINDS],
    );
    assert.equal(new Set(EVENT_CHOICES.map((choice) => choice.title)).size, ALL_EVENT_KINDS.length, 'each kind has its own title');
  });

  it('ticks every kind for a new subscription except chosen-field changes, which need fields named', () => {
    assert.deepEqual(
      [...DEFAULT_EVENT_KINDS],
      ALL_EVENT_KINDS.filter((kind) => kind !== 'fieldChanged'),
    );
  });

  it('gives each kind its own headline on the alert card, and reads an unknown kind as an update', () => {
    const headlines = ALL_EVENT_KINDS.map((kind) => cardText(alertCard(issueEvent({ kinds: [kind] }))).split('\n')[0]);
    assert.equal(new Set(headlines).size, ALL_EVENT_KINDS.length, headlines.join('\n'));
    const unknown = cardText(alertCard({ ...issueEvent(), kinds: ['archived'] })).split('\n')[0];
    assert.match(unknown, /Ada Lovelace updated ALERT/);
  });

  it('stores every kind in the inbox and reads it back', () => {
    const event = issueEvent({ kinds: [...ALL_EVENT_KINDS] });
    const { event: read } = fromInboxRow(toInboxRow(event, 1), { site: event.site, id: event.id });
    assert.deepEqual(read.kinds, [...ALL_EVENT_KINDS]);
  });
});
