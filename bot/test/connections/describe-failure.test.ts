import assert from 'node:assert/strict';
import { ConnectionError, ConnectionErrorCode } from '../../src/connections/connection-error';
import { describeFailure, needsSignIn } from '../../src/connections/describe-failure';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { toTabError } from '../../src/meetings/tab-error';
import { classifyFailure } from '../../src/teams/unfurl/classify-failure';
import { userFacingError } from '../../src/teams/compose/user-facing-error';

describe('describeFailure: one mapper, each surface in its own words', () => {
  it('names the same kind on every surface, worded for where it is shown', () => {
    const refused = new JiraError(JiraErrorCode.BadRequest, { detail: 'Summary is required.' });
    assert.equal(describeFailure(refused, 'chat')?.message, 'Jira rejected the request: Summary is required.');
    assert.equal(describeFailure(refused, 'dialog')?.message, 'Jira did not accept this: Summary is required.');
    assert.equal(describeFailure(refused, 'tab')?.message, 'Jira rejected the change: Summary is required.');
    assert.equal(describeFailure(refused, 'tab', { jql: true })?.kind, 'invalidJql');
    for (const surface of ['chat', 'dialog', 'tab'] as const) assert.equal(describeFailure(refused, surface)?.kind, 'badRequest');
  });

  it('feeds the card, dialog and tab adapters, which keep their shapes', () => {
    const revoked = new JiraError(JiraErrorCode.ReconnectRequired);
    assert.deepEqual(classifyFailure(revoked), { kind: 'signIn' });
    assert.match(userFacingError(revoked)!, /Type "connect" to reconnect/);
    const tab = toTabError(revoked)!;
    assert.equal(tab.code, 'reconnectRequired');
    assert.match(tab.message, /reload this tab/);

    const missing = new JiraError(JiraErrorCode.NotFound);
    assert.deepEqual(classifyFailure(missing), { kind: 'unavailable' });
    assert.equal(toTabError(missing)!.status, 404);
  });

  it('tells "not connected" from "reconnect" for the tab, and both need sign-in', () => {
    const none = describeFailure(new ConnectionError(ConnectionErrorCode.NotConnected), 'tab')!;
    const expired = describeFailure(new JiraError(JiraErrorCode.Unauthorized), 'tab')!;
    assert.equal(none.kind, 'notConnected');
    assert.equal(expired.kind, 'reconnect');
    assert.ok(needsSignIn(none) && needsSignIn(expired));
  });

  it('carries the wait of a rate limit, and leaves unknown errors (bugs) undescribed', () => {
    const busy = describeFailure(new JiraError(JiraErrorCode.RateLimited, { retryAfterSeconds: 12.2 }), 'tab')!;
    assert.equal(busy.retryAfterSeconds, 13);
    assert.equal(busy.message, 'Jira is busy. Try again in 13 s.');
    assert.equal(toTabError(new JiraError(JiraErrorCode.RateLimited, { retryAfterSeconds: 12.2 }))!.retryAfterSeconds, 13);
    assert.equal(describeFailure(new TypeError('boom'), 'chat'), undefined);
    assert.equal(toTabError(new TypeError('boom')), undefined);
  });
});
