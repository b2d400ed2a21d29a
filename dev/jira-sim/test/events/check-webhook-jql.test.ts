import assert from 'node:assert/strict';
import { checkWebhookJql } from '../../src/events/check-webhook-jql';

describe('checkWebhookJql', () => {
  it('accepts the clauses Jira allows in a webhook filter', () => {
    assert.deepEqual(checkWebhookJql('project = PHX AND status != Done AND issuetype in (Bug, Story)'), []);
  });

  it('names unsupported clauses and reports syntax errors', () => {
    assert.deepEqual(checkWebhookJql('project = PHX AND labels = x'), ['The clause labels is unsupported']);
    const syntax = checkWebhookJql('project = ');
    assert.equal(syntax.length, 1);
    assert.match(syntax[0], /^Error in the JQL Query/);
  });
});
