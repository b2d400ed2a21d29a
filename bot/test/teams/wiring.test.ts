import assert from 'node:assert/strict';
import { CHANNEL_ID, DEFAULT_TENANT_ID, TEAMS_USER, invokeActivity, messageActionValue, messageActivity, postActivity } from '../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../src/connections/connection';
import { cardText } from '../support/validate-card';
import { useAssembledBot } from '../support/use-assembled-bot';

/**
 * The composition root wires every feature: these go through the service exactly as `npm start`
 * builds it, so a feature left out of start-bot.ts fails here.
 */
describe('the assembled service', () => {
  const given = useAssembledBot(({ sim }) => ({ JIRA_BASE_URL: sim.url }));
  beforeEach(() => given.connector.clear());

  it('lists every wired command in help', async () => {
    const activity = messageActivity({ serviceUrl: given.connector.url, conversationType: 'personal', text: 'help' });
    await postActivity(given.testBot.messagesUrl, activity);
    const [reply] = await given.connector.waitForActivities(1);
    const text = cardText(reply.body.attachments[0].content);
    for (const command of ['help', 'connect', 'status', 'disconnect', 'create']) {
      assert.match(text, new RegExp(`\\*\\*${command}\\*\\*`), `help lists ${command}`);
    }
  });

  it('answers the Create issue message action with a dialog once the user is connected', async () => {
    await given.testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, TEAMS_USER), {
      siteUrl: given.sim.url,
      email: 'bob@example.com',
      apiToken: 'sim-token-bob',
    });
    const invoke = invokeActivity('composeExtension/fetchTask', messageActionValue({ commandId: 'createIssue', html: '<p>Checkout <b>fails</b> on expired cards</p>' }), {
      serviceUrl: given.connector.url,
      conversationType: 'channel',
      conversationId: CHANNEL_ID,
    });
    const response = await postActivity(given.testBot.messagesUrl, invoke);
    assert.equal(response.status, 200);
    const task = response.body?.task;
    assert.equal(task?.type, 'continue', JSON.stringify(response.body).slice(0, 300));
    assert.match(cardText(task.value.card.content), /Checkout fails on expired cards/);
  });

  it('unfurls a link to the configured Jira site into a live issue card for a connected user', async () => {
    const invoke = invokeActivity(
      'composeExtension/queryLink',
      { url: `${given.sim.url}/browse/PHX-1` },
      {
        serviceUrl: given.connector.url,
        conversationType: 'channel',
        conversationId: CHANNEL_ID,
      },
    );
    const response = await postActivity(given.testBot.messagesUrl, invoke);
    assert.equal(response.status, 200);
    const result = response.body?.composeExtension;
    assert.equal(result?.type, 'result', JSON.stringify(response.body).slice(0, 300));
    assert.match(cardText(result.attachments[0].content), /PHX-1/);
  });
});
