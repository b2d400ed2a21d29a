import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import sinon from 'sinon';
import { AtlassianAuthClient } from '../../src/connections/atlassian-auth-client';
import type { OAuthConnection } from '../../src/connections/connection';
import { ConnectionRepository } from '../../src/connections/connection-repository';
import { OAuthConnectFlow } from '../../src/connections/oauth-connect-flow';
import { oauthStateKey } from '../../src/connections/oauth-state';
import { OAuthTokenRefresher } from '../../src/connections/oauth-token-refresher';
import { TokenCipher, tokenKey, type TokenKey } from '../../src/connections/token-cipher';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import type { Store } from '../../src/store/store';
import { ManualClock } from '../support/manual-clock';
import { openTestStore } from './open-test-store';

const client = { clientId: 'teams-app', clientSecret: 'teams-secret', redirectUris: ['https://bot.test/auth/atlassian/callback'], requirePkce: true };
const owner = { tenantId: 'tenant-1', userId: 'aad-user-1' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** One service instance: its own auth client, repository and refresher, over the store every instance shares. */
interface Instance {
  auth: AtlassianAuthClient;
  connections: ConnectionRepository;
  refresher: OAuthTokenRefresher;
}

/**
 * Two instances of the service refreshing one user's rotating Atlassian tokens, against the
 * simulator's token endpoint (rotation, a ten-minute leeway for reusing a rotated refresh token, and
 * the whole grant revoked on a later reuse, as Atlassian documents). The grant must survive every
 * race: losing the rotated refresh token ends it at the next refresh after the leeway.
 */
describe('OAuth token refresh races between two instances', () => {
  let sim: JiraSim;
  let store: Store;
  let clock: ManualClock;
  let key: TokenKey;
  let a: Instance;
  let b: Instance;
  let accountId: string;

  function instance(fetchImpl: typeof fetch = globalThis.fetch): Instance {
    const auth = new AtlassianAuthClient({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      authUrl: sim.url,
      apiUrl: sim.url,
      redirectUri: client.redirectUris[0],
      clock,
      fetch: fetchImpl,
    });
    const connections = new ConnectionRepository(store, new TokenCipher(key));
    return { auth, connections, refresher: new OAuthTokenRefresher({ auth, connections, clock }) };
  }

  beforeEach(async () => {
    clock = new ManualClock();
    sim = await startJiraSim({ port: 0, now: () => clock.now(), oauthClients: [client] });
    accountId = sim.state.site.users[0].accountId;
    store = openTestStore();
    key = tokenKey(randomBytes(32));
    a = instance();
    b = instance();
  });

  afterEach(async () => {
    await sim.close();
    await store.close();
    sinon.restore();
  });

  async function connect(): Promise<OAuthConnection> {
    const flow = new OAuthConnectFlow({ auth: a.auth, connections: a.connections, store, cipher: new TokenCipher(key), stateKey: oauthStateKey(key.key), clock });
    const url = new URL(await flow.start(owner, 'conv'));
    url.searchParams.set('account_id', accountId);
    const consent = await fetch(url, { redirect: 'manual' });
    const pending = await flow.complete(Object.fromEntries(new URL(consent.headers.get('location')!).searchParams));
    if (pending.kind !== 'awaitingCode') return assert.fail('expected a code to send in Teams');
    const result = await flow.confirm(owner, pending.code);
    if (result.kind !== 'connected') return assert.fail('expected a connection');
    return result.connection;
  }

  async function stored(): Promise<OAuthConnection> {
    return (await a.connections.get(owner)) as OAuthConnection;
  }

  /** Jira accepts the token as this user's. */
  function assertWorks(accessToken: string): void {
    assert.equal(sim.oauth.verifyAccessToken(accessToken)?.accountId, accountId, 'the access token is accepted');
  }

  /** Well past the reuse leeway and the access token's life: only the stored refresh token can keep the grant. */
  async function assertGrantSurvives(): Promise<void> {
    await clock.advance(2 * HOUR);
    assertWorks(await a.refresher.accessToken(owner));
    await clock.advance(2 * HOUR);
    assertWorks(await b.refresher.accessToken(owner));
  }

  it('uses the token another instance already refreshed instead of rotating again', async () => {
    const connection = await connect();
    await clock.advance(HOUR - MINUTE);
    const fromA = await a.refresher.accessToken(owner);
    assert.notEqual(fromA, connection.accessToken);

    const refreshByB = sinon.spy(b.auth, 'refresh');
    assert.equal(await b.refresher.accessToken(owner), fromA);
    assert.equal(refreshByB.callCount, 0, 'B saw the stored, fresh token');
    await assertGrantSurvives();
  });

  it('keeps one rotated refresh token when both instances refresh at the same moment', async () => {
    await connect();
    await clock.advance(HOUR);
    const refreshByA = sinon.spy(a.auth, 'refresh');
    const refreshByB = sinon.spy(b.auth, 'refresh');
    const [fromA, fromB] = await Promise.all([a.refresher.accessToken(owner), b.refresher.accessToken(owner)]);
    assert.equal(refreshByA.callCount + refreshByB.callCount, 2, "both rotated the same refresh token (within Atlassian's leeway)");
    assertWorks(fromA);
    assertWorks(fromB);
    assert.ok([fromA, fromB].includes((await stored()).accessToken), 'what is stored is what one of them got');
    await assertGrantSurvives();
  });

  it('survives a refresh whose answer was lost after Atlassian rotated the token, when retried', async () => {
    const connection = await connect();
    let lose = true;
    b = instance(async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (lose && String(input).endsWith('/oauth/token')) {
        lose = false;
        throw new TypeError('fetch failed: the connection dropped before the answer arrived');
      }
      return response;
    });
    await clock.advance(HOUR);
    await assert.rejects(b.refresher.accessToken(owner), (error: unknown) => error instanceof JiraError && error.code === JiraErrorCode.Unavailable);
    assert.equal((await stored()).refreshToken, connection.refreshToken, 'nothing half-written');
    assert.equal((await stored()).status, 'active', 'a transient failure is not a revoked grant');

    await clock.advance(MINUTE);
    assertWorks(await b.refresher.accessToken(owner));
    assert.notEqual((await stored()).refreshToken, connection.refreshToken);
    await assertGrantSurvives();
  });

  it('keeps its rotated refresh token when the row changed under it for another reason (a save conflict)', async () => {
    const connection = await connect();
    await clock.advance(HOUR - MINUTE);
    const refresh = a.auth.refresh.bind(a.auth);
    sinon.stub(a.auth, 'refresh').callsFake(async (refreshToken: string) => {
      const tokens = await refresh(refreshToken);
      // Meanwhile instance B rewrites the row without refreshing (as it does when it re-seals the
      // tokens under a new key), so A's conditional save conflicts after Atlassian already rotated.
      await b.connections.save({ ...(await stored()), updatedAt: clock.now() });
      return tokens;
    });
    const fromA = await a.refresher.accessToken(owner);
    assertWorks(fromA);
    assert.notEqual(fromA, connection.accessToken, 'A hands out the token it got, not the one about to expire');
    const now = await stored();
    assert.notEqual(now.refreshToken, connection.refreshToken, 'the rotated refresh token is stored');
    assert.equal(now.accessToken, fromA);
    sinon.restore();
    await assertGrantSurvives();
  });

  it('does not bring back a connection the user removed while a refresh was under way', async () => {
    await connect();
    await clock.advance(HOUR);
    const refresh = a.auth.refresh.bind(a.auth);
    sinon.stub(a.auth, 'refresh').callsFake(async (refreshToken: string) => {
      const tokens = await refresh(refreshToken);
      await b.connections.remove(owner);
      return tokens;
    });
    await assert.rejects(a.refresher.accessToken(owner), (error: unknown) => error instanceof JiraError && error.code === JiraErrorCode.Unauthorized);
    assert.equal(await a.connections.get(owner), undefined);
  });
});
