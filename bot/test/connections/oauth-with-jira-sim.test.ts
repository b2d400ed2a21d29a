import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import sinon from 'sinon';
import { AtlassianAuthClient } from '../../src/connections/atlassian-auth-client';
import type { OAuthConnection } from '../../src/connections/connection';
import { ConnectionErrorCode } from '../../src/connections/connection-error';
import { ConnectionRepository } from '../../src/connections/connection-repository';
import { OAuthConnectFlow } from '../../src/connections/oauth-connect-flow';
import { oauthStateKey } from '../../src/connections/oauth-state';
import { OAuthTokenRefresher } from '../../src/connections/oauth-token-refresher';
import { TokenCipher, tokenKey } from '../../src/connections/token-cipher';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { jiraErrorMessage } from '../../src/jira/jira-error-message';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import type { Store } from '../../src/store/store';
import { ManualClock } from '../support/manual-clock';
import { openTestStore } from './open-test-store';

// requirePkce: the simulator refuses an authorize request without a challenge, so a bot that stops sending one fails here.
const client = { clientId: 'teams-app', clientSecret: 'teams-secret', redirectUris: ['https://bot.test/auth/atlassian/callback'], requirePkce: true };
const owner = { tenantId: 'tenant-1', userId: 'aad-user-1' };
const HOUR = 3600_000;

/** Follows the authorize URL as a browser would, consenting as `accountId`, and returns the callback query. */
async function consent(authorizeUrl: string, accountId: string): Promise<{ code?: string; state?: string; error?: string }> {
  const url = new URL(authorizeUrl);
  url.searchParams.set('account_id', accountId);
  const response = await fetch(url, { redirect: 'manual' });
  assert.equal(response.status, 302);
  const location = new URL(response.headers.get('location')!);
  assert.equal(`${location.origin}${location.pathname}`, client.redirectUris[0]);
  return Object.fromEntries(location.searchParams);
}

describe('OAuth 2.0 (3LO) connection against the Jira simulator', () => {
  let sim: JiraSim;
  let store: Store;
  let clock: ManualClock;
  let flow: OAuthConnectFlow;
  let auth: AtlassianAuthClient;
  let connections: ConnectionRepository;
  let refresher: OAuthTokenRefresher;
  let pipeline: RequestPipeline;
  let accountId: string;

  beforeEach(async () => {
    clock = new ManualClock();
    sim = await startJiraSim({ port: 0, now: () => clock.now(), oauthClients: [client] });
    accountId = sim.state.site.users[0].accountId;
    store = openTestStore();
    const key = tokenKey(randomBytes(32));
    const cipher = new TokenCipher(key);
    connections = new ConnectionRepository(store, cipher);
    auth = new AtlassianAuthClient({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      authUrl: sim.url,
      apiUrl: sim.url,
      redirectUri: client.redirectUris[0],
      clock,
    });
    flow = new OAuthConnectFlow({ auth, connections, store, cipher, stateKey: oauthStateKey(key.key), clock });
    refresher = new OAuthTokenRefresher({ auth, connections, clock });
    pipeline = new RequestPipeline({ scheduler: new SiteScheduler({ clock }), clock });
  });

  afterEach(async () => {
    await sim.close();
    await store.close();
    sinon.restore();
  });

  /** Consent, then the code from the page sent by the asker, as the Teams chat does. */
  async function connect(): Promise<OAuthConnection> {
    const before = await connections.get(owner);
    const url = await flow.start(owner, '19:conv@thread.tacv2');
    assert.match(url, /code_challenge_method=S256/);
    const pending = await flow.complete(await consent(url, accountId));
    if (pending.kind !== 'awaitingCode') return assert.fail('expected a code to send in Teams');
    assert.match(pending.code, /^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.deepEqual(await connections.get(owner), before, 'nothing is connected before the code comes back from Teams');
    const result = await flow.confirm(owner, pending.code);
    if (result.kind !== 'connected') return assert.fail('expected the asker to be connected');
    assert.equal(result.conversationId, '19:conv@thread.tacv2');
    return result.connection;
  }

  it('connects through consent, calls Jira as the user, refreshes with rotation, and asks once to reconnect after revocation', async () => {
    const connection = await connect();
    assert.equal(connection.cloudId, sim.cloudId);
    assert.equal(connection.accountId, accountId);

    const jira = createJiraClient(connection, { pipeline, apiUrl: sim.url, tokens: refresher });
    assert.equal((await jira.v3.myself.getCurrentUser()).accountId, accountId);

    // Near expiry: the next call refreshes first, and the rotated refresh token is what is stored.
    const refresh = sinon.spy(auth, 'refresh');
    await clock.advance(HOUR - 60_000);
    assert.equal((await jira.v3.myself.getCurrentUser()).accountId, accountId);
    assert.equal(refresh.callCount, 1);
    const stored = (await connections.get(owner)) as OAuthConnection;
    assert.notEqual(stored.refreshToken, connection.refreshToken);
    assert.notEqual(stored.accessToken, connection.accessToken);
    assert.equal(stored.expiresAt, clock.now() + HOUR);

    // The user (or an admin) revokes the app: the refresh fails with invalid_grant.
    sim.oauth.revokeGrant(accountId, client.clientId);
    await clock.advance(HOUR);
    const first = await jira.v3.myself.getCurrentUser().catch((e: unknown) => e);
    assert.ok(first instanceof JiraError);
    assert.equal(first.code, JiraErrorCode.ReconnectRequired);
    assert.equal(first.firstNotice, true);
    assert.match(jiraErrorMessage(first), /reconnect/);
    assert.equal((await connections.get(owner))?.status, 'needsReconnect');

    const again = await jira.v3.myself.getCurrentUser().catch((e: unknown) => e);
    assert.ok(again instanceof JiraError);
    assert.equal(again.firstNotice, false, 'the user is told once');
    assert.equal(refresh.callCount, 2, 'no further calls to Atlassian once the grant is known dead');

    // Connecting again replaces the dead connection.
    const reconnected = await connect();
    assert.equal((await connections.get(owner))?.status, 'active');
    const fresh = createJiraClient(reconnected, { pipeline, apiUrl: sim.url, tokens: refresher });
    assert.equal((await fresh.v3.myself.getCurrentUser()).accountId, accountId);
  });

  it('collapses concurrent refreshes for one user into one', async () => {
    const connection = await connect();
    const refresh = sinon.spy(auth, 'refresh');
    await clock.advance(HOUR);
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => refresher.accessToken(owner)));
    assert.equal(refresh.callCount, 1);
    assert.equal(new Set(tokens).size, 1);
    assert.notEqual(tokens[0], connection.accessToken);
    const jira = createJiraClient(connection, { pipeline, apiUrl: sim.url, tokens: refresher });
    assert.equal((await jira.v3.myself.getCurrentUser()).accountId, accountId);
  });

  it('fails a call with Unauthorized once the user disconnected and the token needs refreshing', async () => {
    const connection = await connect();
    const jira = createJiraClient(connection, { pipeline, apiUrl: sim.url, tokens: refresher });
    assert.equal((await jira.v3.myself.getCurrentUser()).accountId, accountId);
    await connections.remove(owner);
    await clock.advance(HOUR);
    await assert.rejects(jira.v3.myself.getCurrentUser(), { code: JiraErrorCode.Unauthorized });
  });

  it('refuses a state used twice, a tampered state, and an expired one', async () => {
    const query = await consent(await flow.start(owner, 'c'), accountId);
    await flow.complete(query);
    await assert.rejects(flow.complete(query), { code: ConnectionErrorCode.OAuthStateInvalid });
    const [body, signature] = query.state!.split('.');
    await assert.rejects(flow.complete({ ...query, state: `${body}x.${signature}` }), { code: ConnectionErrorCode.OAuthStateInvalid });

    const late = await consent(await flow.start(owner, 'c'), accountId);
    await clock.advance(11 * 60_000);
    await assert.rejects(flow.complete(late), { code: ConnectionErrorCode.OAuthStateInvalid });
  });

  it('proves the code with the verifier of the challenge it sent (PKCE)', async () => {
    const url = new URL(await flow.start(owner, 'c'));
    const challenge = url.searchParams.get('code_challenge') ?? assert.fail('no code_challenge in the authorize URL');
    assert.match(challenge, /^[A-Za-z0-9_-]{43}$/, 'an S256 challenge is 43 base64url characters');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');

    // A code bound to another challenge (as if the authorize URL had been swapped in transit) cannot be
    // redeemed with this sign-in's verifier.
    url.searchParams.set('code_challenge', createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'));
    await assert.rejects(flow.complete(await consent(url.toString(), accountId)), { code: ConnectionErrorCode.OAuthExchangeFailed });
    assert.equal(await connections.get(owner), undefined);

    // Without a challenge the simulator, like Atlassian for an app that must use PKCE, sends back an error and no code.
    const bare = new URL(await flow.start(owner, 'c'));
    bare.searchParams.delete('code_challenge');
    bare.searchParams.delete('code_challenge_method');
    const refused = await consent(bare.toString(), accountId);
    assert.equal(refused.code, undefined);
    assert.equal(refused.error, 'invalid_request');
  });

  it('reports a denied consent', async () => {
    const url = new URL(await flow.start(owner, 'c'));
    const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), account_id: accountId, decision: 'deny' });
    const response = await fetch(`${sim.url}/authorize/consent`, { method: 'POST', body: form, redirect: 'manual' });
    const query = Object.fromEntries(new URL(response.headers.get('location')!).searchParams);
    await assert.rejects(flow.complete(query), { code: ConnectionErrorCode.OAuthDenied });
  });

  it('lets the user pick among several sites, once', async () => {
    sim.oauth.sites.add({ cloudId: 'second-cloud', name: 'second', url: 'https://second.atlassian.net' });
    const result = await flow.complete(await consent(await flow.start(owner, 'c'), accountId));
    assert.equal(result.kind, 'chooseSite');
    if (result.kind !== 'chooseSite') return;
    assert.deepEqual(
      result.sites.map((s) => s.cloudId),
      [sim.cloudId, 'second-cloud'],
    );
    await assert.rejects(flow.chooseSite(result.choiceId, 'not-offered'), { code: ConnectionErrorCode.SiteChoiceInvalid });
    // A refused pick spends the choice too: choices are single-use.
    await assert.rejects(flow.chooseSite(result.choiceId, sim.cloudId), { code: ConnectionErrorCode.SiteChoiceInvalid });

    const retry = await flow.complete(await consent(await flow.start(owner, 'c'), accountId));
    if (retry.kind !== 'chooseSite') return assert.fail('expected a site choice');
    const pending = await flow.chooseSite(retry.choiceId, sim.cloudId);
    const confirmed = await flow.confirm(owner, pending.code);
    if (confirmed.kind !== 'connected') return assert.fail('expected a connection');
    assert.equal(confirmed.connection.cloudId, sim.cloudId);
    assert.equal((await connections.get(owner))?.kind, 'oauth');
  });

  it('prunes abandoned sign-ins once they expire', async () => {
    await flow.start(owner, 'c');
    await flow.start(owner, 'c');
    assert.equal(await flow.prune(), 0);
    await clock.advance(10 * 60_000);
    const fresh = await consent(await flow.start(owner, 'c'), accountId);
    assert.equal((await store.list('oauthPending')).length, 1, 'the start after expiry pruned the two abandoned ones');
    assert.equal((await flow.complete(fresh)).kind, 'awaitingCode');
  });

  it('connects only the Teams user the sign-in was started for; a code works once and for five minutes', async () => {
    const other = { tenantId: owner.tenantId, userId: 'aad-user-2' };
    const first = await flow.complete(await consent(await flow.start(owner, 'c'), accountId));
    if (first.kind !== 'awaitingCode') return assert.fail('expected a code');
    const stolen = await flow.confirm(other, first.code);
    assert.deepEqual(stolen, { kind: 'notYours', asker: owner, conversationId: 'c' });
    assert.equal(await connections.get(other), undefined);
    assert.equal(await connections.get(owner), undefined);
    await assert.rejects(flow.confirm(owner, first.code), { code: ConnectionErrorCode.SignInCodeInvalid }, 'spent by the wrong sender too');

    const late = await flow.complete(await consent(await flow.start(owner, 'c'), accountId));
    if (late.kind !== 'awaitingCode') return assert.fail('expected a code');
    await clock.advance(5 * 60_000);
    await assert.rejects(flow.confirm(owner, late.code), { code: ConnectionErrorCode.SignInCodeInvalid });
    await assert.rejects(flow.confirm(owner, 'ZZZZ-ZZZZ'), { code: ConnectionErrorCode.SignInCodeInvalid });

    const fine = await flow.complete(await consent(await flow.start(owner, 'c'), accountId));
    if (fine.kind !== 'awaitingCode') return assert.fail('expected a code');
    assert.equal((await flow.confirm(owner, fine.code.toLowerCase())).kind, 'connected');
    await assert.rejects(flow.confirm(owner, fine.code), { code: ConnectionErrorCode.SignInCodeInvalid });
  });
});
