import assert from 'node:assert/strict';
import { TabApiError } from '../src/api/tab-api-error';
import type { ErrorCode } from '../src/api/types';
import { describeError } from '../src/ui/describe-error';

describe('tab: describeError', () => {
  const codes: ErrorCode[] = [
    'unauthenticated',
    'notConnected',
    'reconnectRequired',
    'forbidden',
    'notFound',
    'badRequest',
    'invalidJql',
    'otherSite',
    'jiraBusy',
    'jiraUnavailable',
    'tabSignInNotConfigured',
    'network',
  ];

  it('has a title and a body for every error code of the contract', () => {
    for (const code of codes) {
      const view = describeError(new TabApiError(400, code, `the bot's message for ${code}`));
      assert.ok(view.title.length > 0, code);
      assert.match(view.body, new RegExp(`the bot's message for ${code}|connect`), code);
    }
  });

  it('tells someone not connected to send connect in the personal chat, whatever the bot said', () => {
    const view = describeError(new TabApiError(403, 'notConnected', 'No Jira connection.'));
    assert.match(view.body, /personal chat/);
    assert.match(view.body, /\bconnect\b/);
    assert.equal(view.retry, true);
  });

  it('offers Retry only where waiting can help', () => {
    assert.equal(describeError(new TabApiError(503, 'jiraBusy', 'Jira is busy.')).retry, true);
    assert.equal(describeError(new TabApiError(400, 'invalidJql', 'bad')).retry, false);
    assert.equal(describeError(new TabApiError(403, 'forbidden', 'no')).retry, false);
  });
});
