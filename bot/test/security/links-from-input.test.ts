import assert from 'node:assert/strict';
import { messageActionValue } from '@jira-teams/bot-connector-emu';
import { issuePreview, thumbnailPreview } from '../../src/cards/issue-preview';
import { messageToAdf } from '../../src/jira/adf/message-to-adf';
import { parseJiraLink } from '../../src/jira/links/parse-jira-link';
import { teamsMessageOf } from '../../src/teams/compose/teams-message-of';

/** A message action as Teams sends it, its link to the message replaced by what an attacker chose. */
function messageActionWithLink(linkToMessage: string) {
  const value = messageActionValue({ commandId: 'createIssue', html: '<p>Checkout fails</p>' });
  return { value: { ...value, messagePayload: { ...value.messagePayload, linkToMessage } }, conversation: { id: 'c1' } } as Parameters<typeof teamsMessageOf>[0];
}

describe('security: links and preview text from input (issue 15 item 9)', () => {
  it('makes no remote link or description link of a javascript:, data: or plain-http message link', () => {
    for (const hostile of [
      'javascript:alert(document.cookie)',
      'JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'http://teams.microsoft.com/l/message/x',
      '/relative',
      'https://user:pw@teams.microsoft.com/l/message/x',
    ]) {
      const message = teamsMessageOf(messageActionWithLink(hostile));
      assert.ok(message, hostile);
      assert.equal(message.link, undefined, hostile);
      assert.doesNotMatch(JSON.stringify(messageToAdf(message)), /javascript:|data:text|http:\/\/teams|\/relative|user:pw/i, hostile);
    }
  });

  it('keeps the https link Teams sends', () => {
    const link = 'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1700000000000';
    assert.equal(teamsMessageOf(messageActionWithLink(link))?.link, link);
  });

  it('escapes the preview title, as it does the preview text', () => {
    const summary = '<img src=x onerror=alert(1)> & <b>bold</b>';
    const preview = issuePreview({ key: 'KAN-1', summary, status: { name: '<i>Done</i>', category: 'done' }, assignee: undefined });
    assert.equal(preview.content.title, 'KAN-1: &lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    assert.doesNotMatch(preview.content.text, /<i>/);
    assert.equal(thumbnailPreview('<script>x</script>', 'ok').content.title, '&lt;script&gt;x&lt;/script&gt;');
  });

  it('unfurls plain-http links only on a configured host, never on a Jira Cloud one', () => {
    assert.equal(parseJiraLink('http://acme.atlassian.net/browse/KAN-1', { siteHosts: [] }), undefined);
    assert.deepEqual(parseJiraLink('https://acme.atlassian.net/browse/KAN-1', { siteHosts: [] }), { kind: 'issue', host: 'acme.atlassian.net', key: 'KAN-1' });
    assert.deepEqual(parseJiraLink('http://127.0.0.1:3990/browse/KAN-1', { siteHosts: ['127.0.0.1:3990'] }), { kind: 'issue', host: '127.0.0.1:3990', key: 'KAN-1' });
    assert.equal(parseJiraLink('javascript://acme.atlassian.net/browse/KAN-1', { siteHosts: [] }), undefined);
  });
});
