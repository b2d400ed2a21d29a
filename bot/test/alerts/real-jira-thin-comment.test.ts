import assert from 'node:assert/strict';
import { startAlertStack, type AlertStack } from './start-alert-stack';

const shows = (texts: readonly string[], key: string) => texts.some((text) => new RegExp(`${key.replace('-', '\\\\?-')}\\b`).test(text));

/**
 * Issue #17 defect 3: Jira Cloud's comment_created carries no `user` and only a few issue fields
 * (no reporter, no labels). When it is the copy of a comment the bot keeps (it came first, or
 * alone), a label filter and "a comment on an issue I reported" still have to work.
 */
describe('a comment from real Jira Cloud (thin comment_created) in the assembled service', () => {
  let stack: AlertStack;

  before(async () => {
    // Only comment_created is subscribed, so it is the copy of the comment that wins the dedupe.
    stack = await startAlertStack({ realism: { thinCommentEvents: true, webhookRestV2: true }, events: ['jira:issue_created', 'comment_created'] });
    await stack.subscribe({ projects: 'PHX', events: 'commented', jql: 'labels = backend' });
  });
  after(() => stack?.close());

  it('applies the label filter and tells the reporter, with fields the webhook left out', async () => {
    const { key } = (await stack.jira('bob', 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'PHX' }, issuetype: { id: '10002' }, summary: 'Reported by Bob', labels: ['backend'] },
    })) as { key: string };
    stack.connector.clear();
    await stack.jira('alice', 'POST', `/rest/api/3/issue/${key}/comment`, {
      body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Looked at it' }] }] },
    });

    // Without the fix the event has no labels and no reporter: neither alert ever comes.
    await stack.connector.waitFor(() => shows(stack.channelCards(), key) && shows(stack.bobCards(), key), { timeoutMs: 15_000 });

    // The simulator did send what Jira Cloud sends: no user, no reporter, no labels.
    const sent = stack.sim.webhooks.deliveries().filter((d) => d.event === 'comment_created' && d.body.includes(key));
    assert.equal(sent.length, 1);
    const body = JSON.parse(sent[0].body) as { user?: unknown; issue: { fields: Record<string, unknown> } };
    assert.equal(body.user, undefined);
    assert.equal(body.issue.fields.reporter, undefined);
    assert.equal(body.issue.fields.labels, undefined);
    assert.match(
      stack.channelCards().find((text) => shows([text], key))!,
      /Looked at it/,
    );
  });
});
