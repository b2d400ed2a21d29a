import assert from 'node:assert/strict';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  GROUP_CHAT_ID,
  invokeActivity,
  messageActivity,
  postActivity,
  type Account,
  type ConversationType,
} from '../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../src/connections/connection';
import { ConnectionErrorCode } from '../../src/connections/connection-error';
import { useAssembledBot } from '../support/use-assembled-bot';

const ANA: Account = { id: '29:ana', name: 'Ana', aadObjectId: 'aaaaaaaa-0000-4000-8000-00000000000a' };
const BEN: Account = { id: '29:ben', name: 'Ben', aadObjectId: 'bbbbbbbb-0000-4000-8000-00000000000b' };

/**
 * Connections are per user: whatever conversation two people share, each turn acts with the
 * connection of the person who sent it, or with none.
 */
describe('connection isolation between users', () => {
  const given = useAssembledBot(({ sim }) => ({ JIRA_BASE_URL: sim.url }));

  before(async () => {
    await given.testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, ANA), {
      siteUrl: given.sim.url,
      email: 'alice@example.com',
      apiToken: 'sim-token-alice',
    });
  });
  beforeEach(() => given.connector.clear());

  async function statusReply(from: Account, conversationType: ConversationType, conversationId?: string): Promise<string> {
    const activity = messageActivity({ serviceUrl: given.connector.url, conversationType, conversationId, from, text: 'status' });
    assert.equal((await postActivity(given.testBot.messagesUrl, activity)).status, 200);
    const [reply] = await given.connector.waitForActivities(1, { conversationId: activity.conversation.id });
    given.connector.clear();
    return String(reply.body.text ?? '');
  }

  for (const [where, type, conversationId] of [
    ['personal chat', 'personal', undefined],
    ['channel', 'channel', CHANNEL_ID],
    ['group chat', 'groupChat', GROUP_CHAT_ID],
  ] as const) {
    it(`uses only the sender's own connection in a ${where}`, async () => {
      assert.match(await statusReply(ANA, type, conversationId), /Connected to .* as \*\*Alice Admin\*\*/);
      const ben = await statusReply(BEN, type, conversationId);
      assert.doesNotMatch(ben, /Alice/);
      assert.match(ben, /not connected/i);
    });
  }

  it("unfurls a link with the sender's own connection only, in a message extension", async () => {
    const unfurl = async (from: Account) => {
      const invoke = invokeActivity(
        'composeExtension/queryLink',
        { url: `${given.sim.url}/browse/PHX-1` },
        {
          serviceUrl: given.connector.url,
          conversationType: 'channel',
          conversationId: CHANNEL_ID,
          from,
        },
      );
      const response = await postActivity(given.testBot.messagesUrl, invoke);
      assert.equal(response.status, 200);
      return response.body.composeExtension;
    };
    const forAna = await unfurl(ANA);
    assert.equal(forAna.type, 'result');
    assert.match(JSON.stringify(forAna.attachments[0].content), /PHX-1/);
    const forBen = await unfurl(BEN);
    const issueSummary = String(given.sim.state.issue('PHX-1')!.values.summary);
    assert.ok(JSON.stringify(forAna).includes(issueSummary.slice(0, 20)), 'Ana sees the issue');
    assert.ok(!JSON.stringify(forBen).includes(issueSummary.slice(0, 20)), 'nothing of the issue leaks to Ben');
    assert.match(JSON.stringify(forBen), /[Cc]onnect|[Ss]ign in/, 'Ben is asked to connect');
  });

  it("gives another user no Jira client, even with the first user's conversation", async () => {
    await assert.rejects(given.testBot.bot.connections.jiraFor(connectionOwner(DEFAULT_TENANT_ID, BEN)), { code: ConnectionErrorCode.NotConnected });
    const { connection } = await given.testBot.bot.connections.jiraFor(connectionOwner(DEFAULT_TENANT_ID, ANA));
    assert.equal(connection.displayName, 'Alice Admin');
  });

  it('keeps a user of another tenant with the same Teams id apart', async () => {
    await assert.rejects(given.testBot.bot.connections.jiraFor({ tenantId: 'another-tenant', userId: ANA.aadObjectId! }), {
      code: ConnectionErrorCode.NotConnected,
    });
  });
});
