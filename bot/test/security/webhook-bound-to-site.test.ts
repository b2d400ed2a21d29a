import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { signWebhookJwt } from '../../../dev/jira-sim/src/webhooks/sign-webhook-jwt';
import { DEFAULT_TENANT_ID, messageActivity, postActivity, startBotConnector, type Account, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { connectionOwner } from '../../src/connections/connection';
import { WEBHOOK_SECRETS_TABLE } from '../../src/alerts/webhook-secrets';
import { ADMIN_WEBHOOK_PATH, DYNAMIC_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { siteIdOf } from '../../src/wiring/site-directory';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const LEGACY_SECRET = 'legacy-shared-webhook-secret-0123';
const CLIENT = { id: 'oauth-client-of-the-bot', secret: 'oauth-client-secret-of-the-bot' };
const ALICE: Account = { id: '29:alice-admin', name: 'Alice Admin', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000a1' };
const BOB: Account = { id: '29:bob-builder', name: 'Bob Builder', aadObjectId: '0b0b0b0b-0000-4000-8000-0000000000b2' };
const ALICE_CHAT = 'a:1alice-personal-chat';
const BOB_CHAT = 'a:1bob-personal-chat';
const TEAM_CHANNEL = '19:team-channel@thread.tacv2';

/**
 * Issue #15 item 5, through the assembled service and two Jira simulators (sites A and B): each
 * site's admin webhook has its own secret, shown to that site's Jira admins; a body about site A
 * is never taken on site B's route; a dynamic webhook's token must carry exp, aud and an iss
 * naming the route's site; and a body nested 4,000 levels deep is a 400 that leaves the service up.
 */
describe('security: webhooks bound to their own site (issue 15 item 5)', function () {
  this.timeout(60_000);
  let siteA: JiraSim;
  let siteB: JiraSim;
  let connector: BotConnector;
  let testBot: TestBot;
  const accepted: Array<{ site: string; key: string }> = [];

  const route = (path: string, site: JiraSim) => `${testBot.bot.url}${path.replace(':siteId', encodeURIComponent(siteIdOf(site.url)))}`;
  const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const post = async (url: string, body: string, headers: Record<string, string>) =>
    (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status;
  /** An issue update as Jira's admin webhook sends it, about `site`'s issue PHX-1. */
  const issueUpdated = (site: JiraSim, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      webhookEvent: 'jira:issue_updated',
      timestamp: Date.now(),
      issue: { id: '10001', key: 'PHX-1', self: `${site.url}/rest/api/2/issue/10001`, fields: { summary: 'Pay invoices', ...extra } },
      changelog: { id: String(Math.floor(Math.random() * 1e9)), items: [{ field: 'summary', fromString: 'Old', toString: 'Pay invoices' }] },
    });
  const say = async (who: Account, chat: string, text: string, conversationType: 'personal' | 'channel' = 'personal') => {
    connector.clear();
    await postActivity(testBot.messagesUrl, messageActivity({ serviceUrl: connector.url, conversationType, conversationId: chat, from: who, text }));
    await connector.waitFor(() => connector.activities(chat).length > 0, { timeoutMs: 10_000 });
    return connector
      .activities(chat)
      .map((call) => String(call.body.text ?? ''))
      .join('\n');
  };
  /** The URL and secret the `webhook` command showed. */
  const setupShown = (reply: string) => {
    const url = /\*\*URL\*\*: `([^`]+)`/.exec(reply)?.[1];
    const secret = /\*\*Secret\*\*: `([0-9a-f]{64})`/.exec(reply)?.[1];
    assert.ok(url && secret, reply);
    return { url, secret };
  };

  before(async () => {
    siteA = await startJiraSim({ port: 0, webhookRetry: { attempts: 1, baseDelayMs: 10 } });
    siteB = await startJiraSim({ port: 0, webhookRetry: { attempts: 1, baseDelayMs: 10 } });
    connector = await startBotConnector();
    testBot = await startTestBot({
      JIRA_BASE_URL: siteA.url,
      JIRA_WEBHOOK_SECRET: LEGACY_SECRET,
      ATLASSIAN_CLIENT_ID: CLIENT.id,
      ATLASSIAN_CLIENT_SECRET: CLIENT.secret,
      ALERT_POLL_INTERVAL_SECONDS: '0',
    });
    // Alice administers site A, Bob only uses site B: both sites are known to the service through them.
    await testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, ALICE), { siteUrl: siteA.url, email: 'alice@example.com', apiToken: 'sim-token-alice' });
    await testBot.bot.connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, BOB), { siteUrl: siteB.url, email: 'bob@example.com', apiToken: 'sim-token-bob' });
    testBot.bot.alerts.alerts.intake.onAccepted((received) => accepted.push({ site: received.event.site, key: received.event.issue.key }));
  });
  beforeEach(() => {
    accepted.length = 0;
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await siteA?.close();
    await siteB?.close();
  });

  it("shows a site's own secret only to its Jira admin, in the personal chat, and sealed at rest", async () => {
    const bobSees = await say(BOB, BOB_CHAT, 'webhook');
    assert.match(bobSees, /Only Jira administrators of .* register webhooks/);
    assert.doesNotMatch(bobSees, /Secret/);
    assert.match(await say(ALICE, TEAM_CHANNEL, 'webhook', 'channel'), /only in your personal chat/);

    const first = setupShown(await say(ALICE, ALICE_CHAT, 'webhook'));
    assert.ok(first.url.endsWith(ADMIN_WEBHOOK_PATH.replace(':siteId', encodeURIComponent(siteIdOf(siteA.url)))), first.url);
    assert.equal(setupShown(await say(ALICE, ALICE_CHAT, 'webhook')).secret, first.secret, 'asked again: the same secret');

    const rows = await testBot.bot.store.list<Record<string, string>>(WEBHOOK_SECRETS_TABLE);
    assert.equal(rows.length, 1);
    assert.doesNotMatch(JSON.stringify(rows), new RegExp(first.secret), 'the secret is stored sealed');
    assert.doesNotMatch(testBot.logs.raw(), new RegExp(first.secret), 'and never logged');
  });

  it("accepts Jira's real signed callbacks with the site's own secret, and refuses another site's secret", async () => {
    const secretA = await testBot.bot.alerts.webhookSecrets.secretFor(siteA.url);
    const secretB = await testBot.bot.alerts.webhookSecrets.secretFor(siteB.url);
    assert.notEqual(secretA, secretB);

    const register = await fetch(`${siteA.url}/rest/webhooks/1.0/webhook`, {
      method: 'POST',
      headers: { authorization: siteA.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Teams alerts', url: route(ADMIN_WEBHOOK_PATH, siteA), events: ['jira:issue_updated'], secret: secretA }),
    });
    assert.equal(register.status, 201);
    await fetch(`${siteA.url}/rest/api/3/issue/PHX-4`, {
      method: 'PUT',
      headers: { authorization: siteA.basicAuth('bob@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { summary: 'Renamed on site A' } }),
    });
    await siteA.webhooks.idle(5_000);
    assert.deepEqual(
      siteA.webhooks.deliveries().map((d) => d.status),
      ['delivered'],
    );
    assert.deepEqual(accepted, [{ site: siteA.url, key: 'PHX-4' }]);

    const body = issueUpdated(siteA);
    assert.equal(await post(route(ADMIN_WEBHOOK_PATH, siteA), body, { 'x-hub-signature': sign(body, secretB) }), 401, "site B's secret on site A's route");
    assert.equal(accepted.length, 1);
  });

  it('keeps the old shared JIRA_WEBHOOK_SECRET for the JIRA_BASE_URL site only', async () => {
    const aBody = issueUpdated(siteA);
    const bBody = issueUpdated(siteB);
    assert.equal(await post(route(ADMIN_WEBHOOK_PATH, siteA), aBody, { 'x-hub-signature': sign(aBody, LEGACY_SECRET) }), 202);
    assert.equal(await post(route(ADMIN_WEBHOOK_PATH, siteB), bBody, { 'x-hub-signature': sign(bBody, LEGACY_SECRET) }), 401);
    assert.deepEqual(accepted, [{ site: siteA.url, key: 'PHX-1' }]);
  });

  it("refuses a body about site A on site B's route, even signed with B's own secret, and a body that names no site", async () => {
    const secretB = await testBot.bot.alerts.webhookSecrets.secretFor(siteB.url);
    const secretA = await testBot.bot.alerts.webhookSecrets.secretFor(siteA.url);
    const aboutA = issueUpdated(siteA);
    const noSelf = JSON.stringify({ ...JSON.parse(issueUpdated(siteB)), issue: { id: '10001', key: 'PHX-1', fields: { summary: 'x' } } });
    const statuses = [
      await post(route(ADMIN_WEBHOOK_PATH, siteB), aboutA, { 'x-hub-signature': sign(aboutA, secretB) }),
      await post(route(ADMIN_WEBHOOK_PATH, siteB), aboutA, { 'x-hub-signature': sign(aboutA, secretA) }),
      await post(route(ADMIN_WEBHOOK_PATH, siteB), noSelf, { 'x-hub-signature': sign(noSelf, secretB) }),
    ];
    assert.deepEqual(statuses, [403, 401, 403]);
    assert.deepEqual(accepted, [], 'nothing accepted');
    const aboutB = issueUpdated(siteB);
    assert.equal(await post(route(ADMIN_WEBHOOK_PATH, siteB), aboutB, { 'x-hub-signature': sign(aboutB, secretB) }), 202);
    assert.deepEqual(accepted, [{ site: siteB.url, key: 'PHX-1' }]);
  });

  it("requires a dynamic webhook's token to carry exp, aud and an iss naming the route's site", async () => {
    const body = issueUpdated(siteB);
    const now = Math.floor(Date.now() / 1000);
    const key = new TextEncoder().encode(CLIENT.secret);
    const token = (claims: { iss?: string; aud?: string; exp?: number }) => {
      const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now).setSubject('account-of-the-registrar');
      if (claims.iss !== undefined) jwt.setIssuer(claims.iss);
      if (claims.aud !== undefined) jwt.setAudience(claims.aud);
      if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
      return jwt.sign(key);
    };
    const full = { iss: siteB.url, aud: CLIENT.id, exp: now + 120 };
    const refused = [
      await token({ ...full, aud: undefined }),
      await token({ ...full, iss: undefined }),
      await token({ ...full, exp: undefined }),
      await token({ ...full, iss: siteA.url }),
      await token({ ...full, aud: 'another-app' }),
    ];
    for (const jwt of refused) assert.equal(await post(route(DYNAMIC_WEBHOOK_PATH, siteB), body, { authorization: `Bearer ${jwt}` }), 401);
    assert.deepEqual(accepted, []);

    // What the simulator signs, as Jira does for an OAuth app: bound to site B, so taken on B's route only.
    const signed = await signWebhookJwt(CLIENT.secret, { clientId: CLIENT.id, accountId: 'acc', issuer: siteB.url, nowMs: Date.now() });
    assert.equal(await post(route(DYNAMIC_WEBHOOK_PATH, siteA), issueUpdated(siteA), { authorization: `Bearer ${signed}` }), 401);
    assert.equal(await post(route(DYNAMIC_WEBHOOK_PATH, siteB), body, { authorization: `Bearer ${signed}` }), 202);
    assert.deepEqual(accepted, [{ site: siteB.url, key: 'PHX-1' }]);
  });

  it('answers 400 to ADF nested 4,000 levels deep, stays up, and takes the next webhook', async () => {
    const secretA = await testBot.bot.alerts.webhookSecrets.secretFor(siteA.url);
    // Built as text: JSON.stringify itself recurses per level.
    const levels = 4_000;
    const deep = `${'{"type":"paragraph","content":['.repeat(levels)}{"type":"text","text":"bottom"}${']}'.repeat(levels)}`;
    const issue = { id: '10001', key: 'PHX-1', self: `${siteA.url}/rest/api/2/issue/10001`, fields: { summary: 'Pay invoices' } };
    const comment =
      `{"webhookEvent":"comment_created","timestamp":${Date.now()},"issue":${JSON.stringify(issue)},` +
      `"comment":{"id":"900","self":"${siteA.url}/rest/api/2/issue/10001/comment/900","body":{"type":"doc","version":1,"content":[${deep}]}}}`;
    assert.equal(await post(route(ADMIN_WEBHOOK_PATH, siteA), comment, { 'x-hub-signature': sign(comment, secretA) }), 400);
    assert.equal((await fetch(`${testBot.bot.url}/healthz`)).status, 200, 'the service is still up');
    const next = issueUpdated(siteA);
    assert.equal(await post(route(ADMIN_WEBHOOK_PATH, siteA), next, { 'x-hub-signature': sign(next, secretA) }), 202);
    assert.deepEqual(accepted, [{ site: siteA.url, key: 'PHX-1' }]);
  });
});
