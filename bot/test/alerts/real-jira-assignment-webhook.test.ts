import assert from 'node:assert/strict';
import { CONNECTION_KINDS } from '../support/connect-as';
import { cardText } from '../support/validate-card';
import { BOB_CHAT, startAlertStack, type AlertStack } from './start-alert-stack';

const BOB_ACCOUNT_ID = '712020:00000000-0000-4000-8000-000000000002';

/**
 * Issue #17 defect 2: Jira Cloud sends `issue_assigned` with an empty changelog. With the
 * simulator sending webhooks that way (and in the REST v2 shape), an assignment made in Jira
 * must still reach the subscribed channel and the assignee's personal chat: subscribing and
 * delivering alike with API-token and with OAuth connections.
 */
for (const via of CONNECTION_KINDS)
  describe(`an assignment from real Jira Cloud (empty changelog) in the assembled service (${via} connections)`, () => {
    let stack: AlertStack;

    before(async () => {
      stack = await startAlertStack({
        realism: { emptyAssigneeChangelog: true, webhookRestV2: true },
        events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'],
        via,
      });
      await stack.subscribe({ projects: 'PHX', events: 'assigned' });
    });
    after(() => stack?.close());

    it('delivers the assignment to the subscribed channel and the assignee personal chat', async () => {
      const { connector, sim } = stack;
      connector.clear();
      await stack.jira('alice', 'PUT', '/rest/api/3/issue/PHX-6/assignee', { accountId: BOB_ACCOUNT_ID });

      await connector.waitFor(() => stack.channelCards().some((text) => /PHX\\?-6/.test(text)) && connector.activities(BOB_CHAT).length > 0, { timeoutMs: 15_000 });

      // The simulator did send what Jira Cloud sends: an assignment with no changelog items.
      const sent = sim.webhooks.deliveries().filter((d) => d.url.startsWith(stack.testBot.bot.url) && /"issue_assigned"/.test(d.body));
      assert.equal(sent.length, 1);
      assert.deepEqual(JSON.parse(sent[0].body).changelog.items, []);
      assert.equal(sent[0].status, 'delivered');

      const card = stack.channelCards().find((text) => /PHX\\?-6/.test(text))!;
      assert.match(card, /Alice Admin changed the assignee of PHX\\?-6/);
      assert.match(card, /Assignee\nBob Builder/);
      assert.doesNotMatch(card, /Unassigned/);
      const [personal] = connector.activities(BOB_CHAT);
      assert.match(cardText(personal.body.attachments[0].content), /PHX-6/);
    });
  });
