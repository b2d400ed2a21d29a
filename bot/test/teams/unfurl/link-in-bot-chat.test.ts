import assert from 'node:assert/strict';
import { DEFAULT_TENANT_ID, TEAMS_USER, messageActivity, postActivity } from '../../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../../src/connections/connection';
import { cardText } from '../../support/validate-card';
import { useAssembledBot } from '../../support/use-assembled-bot';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * What people send the bot besides commands: a Jira link pasted into its chat (Teams sends the
 * text and, when the preview was kept, the preview card), or an issue card shared into the chat.
 * Through the assembled service, so no other feature's route or the fallback answers first.
 */
describe('a Jira link or an issue card sent to the bot', () => {
  const given = useAssembledBot(({ sim }) => ({ JIRA_BASE_URL: sim.url }));

  before(async () => {
    await given.testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER), {
      siteUrl: given.sim.url,
      email: 'bob@example.com',
      apiToken: 'sim-token-bob',
    });
  });
  beforeEach(() => given.connector.clear());

  const summaryOf = (key: string) => String(given.sim.state.site.issues.find((i) => i.key === key)!.values.summary);

  async function replyTo(activity: ReturnType<typeof messageActivity>): Promise<{ text: string; body: any }> {
    const response = await postActivity(given.testBot.messagesUrl, activity);
    assert.equal(response.status, 200);
    const [reply] = await given.connector.waitForActivities(1, { conversationId: activity.conversation.id });
    const card = reply.body.attachments?.find((a: { contentType: string }) => a.contentType === ADAPTIVE_CARD)?.content;
    return { text: card ? cardText(card) : String(reply.body.text ?? ''), body: reply.body };
  }

  it('answers a pasted issue link with the live issue card, not "I don\'t know that command"', async () => {
    const { text, body } = await replyTo(messageActivity({ serviceUrl: given.connector.url, conversationType: 'personal', text: `${given.sim.url}/browse/KAN-2` }));
    assert.doesNotMatch(text, /don't know that command/);
    assert.equal(body.attachments?.[0]?.contentType, ADAPTIVE_CARD, JSON.stringify(body));
    assert.match(text, /KAN\\-2/);
    assert.ok(text.includes(summaryOf('KAN-2').slice(0, 12)), text);
  });

  it('answers a link @mentioned in a channel the same way, found in the message HTML when the text lacks it', async () => {
    const activity = messageActivity({ serviceUrl: given.connector.url, conversationType: 'channel', text: 'KAN-3' });
    activity.attachments = [{ contentType: 'text/html', content: `<p><at>Jira</at>&nbsp;<a href="${given.sim.url}/browse/KAN-3">KAN-3</a></p>` }];
    activity.text = '<at>Jira</at> KAN-3';
    const { text } = await replyTo(activity);
    assert.doesNotMatch(text, /don't know that command/);
    assert.ok(text.includes(summaryOf('KAN-3').slice(0, 12)), text);
  });

  it("answers an issue card shared into the chat with that issue's live card", async () => {
    // The card as the bot sent it elsewhere: its actions name the issue and its site.
    const shared = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'KAN-1 (an old copy)' }],
      actions: [
        { type: 'Action.Execute', title: 'Assign to me', verb: 'jira.assign', data: { key: 'KAN-1', site: new URL(given.sim.url).host } },
        { type: 'Action.OpenUrl', title: 'Open in Jira', url: `${given.sim.url}/browse/KAN-1` },
      ],
    };
    const activity = messageActivity({ serviceUrl: given.connector.url, conversationType: 'personal', text: '' });
    activity.text = '';
    activity.attachments = [{ contentType: ADAPTIVE_CARD, content: shared }];
    const { text } = await replyTo(activity);
    assert.doesNotMatch(text, /don't know that command/);
    assert.ok(text.includes(summaryOf('KAN-1').slice(0, 12)), text);
    assert.doesNotMatch(text, /an old copy/);
  });

  it('still treats a link inside other words as a message it does not understand', async () => {
    const { text } = await replyTo(messageActivity({ serviceUrl: given.connector.url, conversationType: 'personal', text: `please look at ${given.sim.url}/browse/KAN-2 today` }));
    assert.match(text, /don't know that command/);
  });
});
