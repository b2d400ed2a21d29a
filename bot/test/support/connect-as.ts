import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import type { JiraSim } from '@jira-teams/jira-sim';
import type { Env } from '../../src/config';
import type { ApiTokenConnection, ConnectionOwner } from '../../src/connections/connection';
import type { ConnectionServices } from '../../src/connections/create-connection-services';

/** How a test connects a Teams user to Jira: an API token, or OAuth 2.0 (3LO) with the scopes the app requests. */
export type ConnectionKind = 'token' | 'oauth';

/** Both kinds, for `for (const via of CONNECTION_KINDS) describe(...)`: each feature must work with either. */
export const CONNECTION_KINDS: readonly ConnectionKind[] = ['token', 'oauth'];

/** A stored API-token connection as the simulator's first demo user, for tests that build a Jira client directly. */
export function simUserConnection(sim: JiraSim): ApiTokenConnection {
  const user = sim.state.site.users[0];
  return {
    kind: 'apiToken',
    owner: { tenantId: 't', userId: 'u' },
    siteUrl: sim.url,
    email: user.email,
    apiToken: user.apiToken,
    accountId: user.accountId,
    displayName: user.displayName,
    status: 'active',
    createdAt: 0,
    updatedAt: 0,
  };
}

const TEST_APP = { clientId: 'jira-teams-test', clientSecret: 'jira-teams-test-secret' };

/**
 * The bot settings for an OAuth app whose authorization server and API gateway are the simulator;
 * spread into startTestBot's or readConfig's environment.
 */
export function oauthAppEnv(sim: JiraSim): Env {
  return { ATLASSIAN_CLIENT_ID: TEST_APP.clientId, ATLASSIAN_CLIENT_SECRET: TEST_APP.clientSecret, ATLASSIAN_AUTH_URL: sim.url, ATLASSIAN_API_URL: sim.url };
}

/**
 * oauthAppEnv for tests that follow Atlassian's redirect back to the bot (a browser would): the bot
 * on a free port chosen now, PUBLIC_URL on it, and the app registered with that callback.
 */
export async function oauthAppEnvWithCallback(sim: JiraSim): Promise<Env> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const publicUrl = `http://127.0.0.1:${port}`;
  sim.oauth.registerClient({ ...TEST_APP, redirectUris: [`${publicUrl}/auth/atlassian/callback`] });
  return { ...oauthAppEnv(sim), PORT: String(port), PUBLIC_URL: publicUrl };
}

export interface ConnectAs {
  connections: ConnectionServices;
  sim: JiraSim;
  owner: ConnectionOwner;
  /** The simulator's demo user to act as (its email). */
  email: string;
  via: ConnectionKind;
  /** Where the sign-in was asked for; only OAuth records it. */
  conversationId?: string;
}

/**
 * Connects a Teams user as one of the simulator's users. 'oauth' goes through the real flow: the
 * authorize URL the bot builds (with the scopes it requests), consent on the simulator, the
 * callback, and the sign-in code sent back by the asker. The bot needs oauthAppEnv(sim).
 */
export async function connectAs({ connections, sim, owner, email, via, conversationId = 'a:personal-chat' }: ConnectAs): Promise<void> {
  const user = sim.state.userByEmail(email) ?? assert.fail(`no simulator user ${email}`);
  if (via === 'token') {
    await connections.connectWithApiToken(owner, { siteUrl: sim.url, email: user.email, apiToken: user.apiToken });
    return;
  }
  const oauth = connections.oauth ?? assert.fail('the bot has no OAuth app: start it with oauthAppEnv(sim)');
  const authorize = new URL(await oauth.flow.start(owner, conversationId));
  if (!sim.oauth.clientSecretOf(TEST_APP.clientId)) {
    // Registered here, where the bot's own redirect URI is known (its PUBLIC_URL may be chosen at start).
    sim.oauth.registerClient({ ...TEST_APP, redirectUris: [authorize.searchParams.get('redirect_uri') ?? assert.fail('no redirect_uri')] });
  }
  authorize.searchParams.set('account_id', user.accountId);
  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location') ?? assert.fail(`consent answered ${consent.status}`));
  assert.equal(callback.searchParams.get('error'), null, callback.href);
  const pending = await oauth.flow.complete(Object.fromEntries(callback.searchParams));
  if (pending.kind !== 'awaitingCode') assert.fail(`expected a sign-in code, got ${pending.kind}`);
  const connected = await oauth.flow.confirm(owner, pending.code);
  assert.equal(connected.kind, 'connected');
}

/**
 * The user withdraws what connectAs granted, as in Atlassian's account settings: the API token is
 * revoked, or the app's OAuth grant (its access and refresh tokens stop working at once).
 */
export function revokeAccess(sim: JiraSim, email: string, via: ConnectionKind): void {
  const user = sim.state.userByEmail(email) ?? assert.fail(`no simulator user ${email}`);
  if (via === 'token') user.apiToken = `${user.apiToken}-revoked`;
  else sim.oauth.revokeGrant(user.accountId, TEST_APP.clientId);
}
