import assert from 'node:assert/strict';
import { DEFAULT_TENANT_ID, messageActivity, postActivity, type Account } from '../../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../../src/connections/connection';
import { ADMIN_WEBHOOK_PATH } from '../../../src/http/webhook-routes';
import { siteIdOf } from '../../../src/wiring/site-directory';
import { CONNECTION_KINDS, connectAs, oauthAppEnv, type ConnectionKind } from '../../support/connect-as';
import { useAssembledBot } from '../../support/use-assembled-bot';

/**
 * Per connection kind, a Jira administrator (the simulator's alice) and a plain user (bob), each
 * in their personal chat: connected by API token, or by OAuth 2.0 (3LO) with the scopes the app
 * requests, on the one service.
 */
const PEOPLE: Record<ConnectionKind, { admin: Account; user: Account }> = {
  token: {
    admin: { id: '29:ada-admin', name: 'Ada Admin', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000ad01' },
    user: { id: '29:ben-user', name: 'Ben User', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000be01' },
  },
  oauth: {
    admin: { id: '29:ada-admin-oauth', name: 'Ada Admin', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000ad02' },
    user: { id: '29:ben-user-oauth', name: 'Ben User', aadObjectId: '0a0a0a0a-0000-4000-8000-00000000be02' },
  },
};
const chatOf = (who: Account) => `a:1${who.id.slice(3)}-personal-chat`;

/**
 * The `webhook` command through the assembled service, which asks the person's own Jira
 * connection whether they hold "Administer Jira" before showing the site's admin webhook URL and
 * secret: the simulator answers an OAuth token without the scope that check needs with 401.
 */
describe('webhook setup: the admin webhook URL and secret for Jira administrators', () => {
  const given = useAssembledBot(({ sim }) => ({ JIRA_BASE_URL: sim.url, ALERT_POLL_INTERVAL_SECONDS: '0', ...oauthAppEnv(sim) }));

  before(async () => {
    for (const via of CONNECTION_KINDS) {
      const { admin, user } = PEOPLE[via];
      await connectAs({ connections: given.testBot.bot.connections, sim: given.sim, owner: connectionOwner(DEFAULT_TENANT_ID, admin), email: 'alice@example.com', via });
      await connectAs({ connections: given.testBot.bot.connections, sim: given.sim, owner: connectionOwner(DEFAULT_TENANT_ID, user), email: 'bob@example.com', via });
    }
  });

  /** Sends `webhook` in the person's personal chat and resolves with the bot's answer. */
  const ask = async (who: Account): Promise<string> => {
    const chat = chatOf(who);
    const before = given.connector.activities(chat).length;
    const answer = await postActivity(
      given.testBot.messagesUrl,
      messageActivity({ serviceUrl: given.connector.url, conversationType: 'personal', conversationId: chat, from: who, text: 'webhook' }),
    );
    assert.ok(answer.status < 300, `the turn succeeded: ${answer.status}`);
    await given.connector.waitFor(() => given.connector.activities(chat).length > before, { timeoutMs: 10_000 });
    return String(given.connector.activities(chat).at(-1)!.body.text ?? '');
  };
  const shown = new Map<ConnectionKind, { url: string; secret: string }>();

  for (const via of CONNECTION_KINDS)
    it(`shows a Jira administrator the site's webhook URL and secret and refuses anyone else (${via} connections)`, async () => {
      const reply = await ask(PEOPLE[via].admin);
      const url = /\*\*URL\*\*: `([^`]+)`/.exec(reply)?.[1];
      const secret = /\*\*Secret\*\*: `([0-9a-f]{64})`/.exec(reply)?.[1];
      assert.ok(url && secret, reply);
      assert.ok(url.endsWith(ADMIN_WEBHOOK_PATH.replace(':siteId', encodeURIComponent(siteIdOf(given.sim.url)))), `the route of the simulator's site: ${url}`);
      shown.set(via, { url, secret });

      const refused = await ask(PEOPLE[via].user);
      assert.match(refused, /Only Jira administrators of .* register webhooks/);
      assert.doesNotMatch(refused, /Secret/);
    });

  it('names the same site whichever way its administrator connected: one URL and one secret', () => {
    assert.equal(shown.size, CONNECTION_KINDS.length, 'both kinds were shown the setup');
    assert.deepEqual(shown.get('oauth'), shown.get('token'));
  });
});
