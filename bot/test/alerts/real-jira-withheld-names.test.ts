import assert from 'node:assert/strict';
import { CHANNEL_ID, TEAM_ID, TEAMS_USER, invokeActivity, messageActivity, postActivity } from '../../../dev/bot-connector-emu/src';
import { CONNECTION_KINDS } from '../support/connect-as';
import { cardText } from '../support/validate-card';
import { BOB, BOB_CHAT, startAlertStack, type AlertStack } from './start-alert-stack';

/** Nora (the simulator's demo user 9) withholds her name: with realism.privacy Jira gives others `displayName: null`. */
const NORA_ACCOUNT_ID = '712020:00000000-0000-4000-8000-000000000009';
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * Issue #17 defect 9 through the assembled service: Jira Cloud may send a person's display name as
 * null (profile visibility), and a deleted issue's webhook still carries its last status. The
 * channel alert, `show` and a link unfurl name the assignee "Someone" (never "Unassigned", never an
 * account id), and a digest lists a deleted issue as deleted. Jira is the simulator with its privacy
 * realism on, Teams the Bot Connector emulation, the bot `startBot`.
 */
for (const via of CONNECTION_KINDS)
  describe(`a withheld display name and a deleted issue from real Jira Cloud in the assembled service (${via} connections)`, () => {
    let stack: AlertStack;

    before(async () => {
      stack = await startAlertStack({
        realism: { privacy: true, emptyAssigneeChangelog: true, webhookRestV2: true },
        events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted'],
        via,
      });
      await stack.subscribe({ projects: 'PHX', events: 'assigned,fieldChanged,deleted' });
    });
    after(() => stack?.close());

    const assertNamedSomeone = (card: string) => {
      assert.match(card, /Assignee\nSomeone/);
      assert.doesNotMatch(card, /Unassigned/);
      assert.ok(!card.includes(NORA_ACCOUNT_ID) && !card.includes('nora@example.com'), card);
    };

    it('alerts an assignment to a person whose name Jira withholds as an assignment to someone', async () => {
      const { connector, sim } = stack;
      connector.clear();
      await stack.jira('alice', 'PUT', '/rest/api/3/issue/PHX-7/assignee', { accountId: NORA_ACCOUNT_ID });
      await connector.waitFor(() => stack.channelCards().some((text) => /PHX\\?-7/.test(text)), { timeoutMs: 15_000 });

      // The simulator sent what a privacy-minded Jira sends: the account, and a null name.
      const sent = sim.webhooks.deliveries().filter((d) => d.url.startsWith(stack.testBot.bot.url) && /"issue_assigned"/.test(d.body));
      assert.equal(sent.length, 1);
      const assignee = JSON.parse(sent[0].body).issue.fields.assignee;
      assert.deepEqual([assignee.accountId, assignee.displayName], [NORA_ACCOUNT_ID, null]);

      assertNamedSomeone(stack.channelCards().find((text) => /PHX\\?-7/.test(text))!);
    });

    it('shows that assignee as someone on the `show` card and on a link unfurl', async () => {
      const { connector, sim, testBot } = stack;
      connector.clear();
      const shown = await postActivity(
        testBot.messagesUrl,
        messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: BOB_CHAT, from: BOB, text: 'show PHX-7' }),
      );
      assert.equal(shown.status, 200);
      const [reply] = await connector.waitForActivities(1, { conversationId: BOB_CHAT });
      const card = reply.body.attachments?.find((a: { contentType: string }) => a.contentType === ADAPTIVE_CARD)?.content;
      assert.ok(card, JSON.stringify(reply.body));
      assertNamedSomeone(cardText(card));

      const unfurled = await postActivity(
        testBot.messagesUrl,
        invokeActivity(
          'composeExtension/queryLink',
          { url: `${sim.url}/browse/PHX-7` },
          { serviceUrl: connector.url, conversationType: 'channel', conversationId: CHANNEL_ID, teamId: TEAM_ID, from: TEAMS_USER },
        ),
      );
      assert.equal(unfurled.status, 200, JSON.stringify(unfurled.body));
      const [attachment] = unfurled.body.composeExtension.attachments;
      assertNamedSomeone(cardText(attachment.content));
    });

    it('lists an issue deleted amid a bulk change as deleted in the digest, not under its last status', async () => {
      const { connector, sim } = stack;
      connector.clear();
      // PHX issues no other issue names as parent, so each deletes alone.
      const parents = new Set(sim.state.site.issues.map((i) => String(i.values.parent ?? '')));
      const [doomed, ...others] = sim.state.site.issues.filter((i) => i.key.startsWith('PHX-') && !parents.has(i.id) && !parents.has(i.key)).slice(20, 31);
      const lastStatus = sim.state.status(doomed.statusId).name;
      // Eleven changes inside the two-second gather window: more than the ten that make a digest.
      for (const issue of others) await stack.jira('alice', 'PUT', `/rest/api/3/issue/${issue.key}`, { fields: { labels: ['bulk-edit'] } });
      await stack.jira('alice', 'DELETE', `/rest/api/3/issue/${doomed.key}`);

      const escaped = doomed.key.replace('-', '\\\\?-');
      await connector.waitFor(() => stack.channelCards().some((text) => /issues changed/.test(text) && new RegExp(`${escaped}\\b`).test(text)), { timeoutMs: 20_000 });
      const digest = stack.channelCards().find((text) => /issues changed/.test(text) && new RegExp(`${escaped}\\b`).test(text))!;
      const line = digest.split('\n').find((l) => new RegExp(`${escaped}\\b`).test(l))!;
      assert.match(line, /· Deleted$/);
      assert.ok(!line.includes(lastStatus), `the deleted issue's line names its last status ${lastStatus}: ${line}`);
    });
  });
