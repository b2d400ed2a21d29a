import assert from 'node:assert/strict';
import { alertPreferencesCard, AlertPreferencesVerb } from '../../src/cards/alert-preferences-card';
import { assertValidCard } from '../support/validate-card';

describe('alertPreferencesCard', () => {
  it('shows one switch per notification with its current value, and a save action', () => {
    const card = alertPreferencesCard({ assigned: true, mentioned: false, watching: true, reported: false }, { text: 'Saved.', tone: 'good' });
    assertValidCard(card);
    const toggles = card.body.filter((e) => e.type === 'Input.Toggle').map((e) => [e.id, e.value]);
    assert.deepEqual(toggles, [
      ['assigned', 'true'],
      ['mentioned', 'false'],
      ['watching', 'true'],
      ['reported', 'false'],
    ]);
    assert.equal(card.actions?.[0].verb, AlertPreferencesVerb.Save);
  });
});
