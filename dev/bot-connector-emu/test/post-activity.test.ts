import assert from 'node:assert/strict';
import restify, { type Server } from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { invokeActivity, messageActivity, postActivity, startBotConnector, type BotConnector } from '../src';

/** A minimal bot on the same stack as ours: restify + CloudAdapter in local mode. */
async function startEchoBot(): Promise<{ url: string; server: Server }> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ handleUncaughtExceptions: false });
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (ctx: TurnContext) => {
      if (ctx.activity.type === 'invoke') {
        await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { composeExtension: { type: 'result', url: ctx.activity.value.url } } } });
        return;
      }
      await ctx.sendActivity(`echo: ${textWithoutMentions(ctx)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, server };
}

function textWithoutMentions(ctx: TurnContext): string {
  return (ctx.activity.text ?? '').replace(/<at>[^<]*<\/at>/g, '').trim();
}

describe('postActivity', () => {
  let emu: BotConnector;
  let bot: { url: string; server: Server };

  before(async () => {
    emu = await startBotConnector();
    bot = await startEchoBot();
  });

  after(async () => {
    bot.server.close();
    await emu.close();
  });

  it('delivers a message whose reply lands in the emulation', async () => {
    const activity = messageActivity({ text: 'help', conversationType: 'channel', serviceUrl: emu.url });
    const result = await postActivity(`${bot.url}/api/messages`, activity);
    assert.equal(result.status, 200);
    const [reply] = await emu.waitForActivities(1, { conversationId: activity.conversation.id });
    assert.equal(reply.body.text, 'echo: help');
    assert.equal(reply.kind, 'replyToActivity');
    assert.equal(reply.activityId, activity.id);
  });

  it('returns the invoke response from the HTTP body, and finds /api/messages from a base URL', async () => {
    const activity = invokeActivity('composeExtension/queryLink', { url: 'https://acme.atlassian.net/browse/KAN-1' }, { serviceUrl: emu.url });
    const result = await postActivity(bot.url, activity, { token: 'ignored-in-local-mode' });
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { composeExtension: { type: 'result', url: 'https://acme.atlassian.net/browse/KAN-1' } });
  });
});
