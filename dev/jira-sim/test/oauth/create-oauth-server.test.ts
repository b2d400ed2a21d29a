import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as restify from 'restify';
import { createOAuthServer, type OAuthServer, type OAuthServerDeps } from '../../src/oauth/create-oauth-server';

const CLIENT = { clientId: 'teams-app', clientSecret: 's3cret', redirectUris: ['http://127.0.0.1:3978/auth/callback'], name: 'Jira for Teams' };
const REDIRECT = CLIENT.redirectUris[0];
const SCOPES = 'read:jira-work write:jira-work manage:jira-webhook offline_access';
const USERS = [
  { accountId: 'acc-alice', displayName: 'Alice Admin', emailAddress: 'alice@example.com' },
  { accountId: 'acc-bob', displayName: 'Bob <Builder>', emailAddress: 'bob@example.com' },
];
const SITE = { cloudId: 'cloud-1', name: 'acme', url: 'https://acme.atlassian.net' };

interface Harness {
  base: string;
  oauth: OAuthServer;
  clock: { now: number };
  close(): Promise<void>;
}

async function start(overrides: Partial<OAuthServerDeps> = {}): Promise<Harness> {
  const clock = { now: Date.UTC(2026, 0, 1) };
  const oauth = createOAuthServer({ site: SITE, users: () => USERS, now: () => clock.now, clients: [CLIENT], ...overrides });
  const server = restify.createServer();
  oauth.mount(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    base: `http://127.0.0.1:${port}`,
    oauth,
    clock,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(base: string, extra: Record<string, string> = {}): string {
  const url = new URL('/authorize', base);
  const params = {
    audience: 'api.atlassian.com',
    client_id: CLIENT.clientId,
    scope: SCOPES,
    redirect_uri: REDIRECT,
    state: 'st-123',
    response_type: 'code',
    prompt: 'consent',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

async function obtainCode(h: Harness, extra: Record<string, string> = {}): Promise<string> {
  const res = await fetch(authorizeUrl(h.base, { account_id: 'acc-alice', ...extra }), { redirect: 'manual' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location') ?? '');
  assert.equal(location.searchParams.get('state'), 'st-123');
  return location.searchParams.get('code') ?? assert.fail('no code in redirect');
}

async function postToken(h: Harness, body: Record<string, string>, as: 'json' | 'form' = 'json') {
  const res = await fetch(`${h.base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': as === 'json' ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: as === 'json' ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function exchange(h: Harness, code: string, verifier?: string, as: 'json' | 'form' = 'json') {
  const body: Record<string, string> = {
    grant_type: 'authorization_code',
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    code,
    redirect_uri: REDIRECT,
  };
  if (verifier) body.code_verifier = verifier;
  return postToken(h, body, as);
}

function refresh(h: Harness, refreshToken: string) {
  return postToken(h, {
    grant_type: 'refresh_token',
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    refresh_token: refreshToken,
  });
}

async function accessibleResources(h: Harness, accessToken: string) {
  const res = await fetch(`${h.base}/oauth/token/accessible-resources`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, body: await res.json() };
}

describe('OAuth 2.0 (3LO) simulator', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await start();
  });
  afterEach(() => h.close());

  describe('consent', () => {
    it('shows the requested scopes and the seeded users, escaped', async () => {
      const res = await fetch(authorizeUrl(h.base));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      const html = await res.text();
      assert.match(html, /Jira for Teams/);
      assert.match(html, /<code>manage:jira-webhook<\/code>/);
      assert.match(html, /value="acc-alice"/);
      assert.match(html, /Bob &#60;Builder&#62;/);
      assert.match(html, /name="state" value="st-123"/);
    });

    it('the consent form redirects with a code and the state on Accept', async () => {
      const { verifier, challenge } = pkcePair();
      const form = new URLSearchParams({
        audience: 'api.atlassian.com',
        client_id: CLIENT.clientId,
        scope: SCOPES,
        redirect_uri: REDIRECT,
        state: 'st-123',
        response_type: 'code',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        account_id: 'acc-bob',
        decision: 'accept',
      });
      const res = await fetch(`${h.base}/authorize/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
      });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get('location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.equal(location.searchParams.get('state'), 'st-123');
      const tokens = await exchange(h, location.searchParams.get('code') ?? '', verifier);
      assert.equal(tokens.status, 200);
      assert.equal(h.oauth.verifyAccessToken(String(tokens.body.access_token))?.accountId, 'acc-bob');
    });

    it('redirects with error=access_denied on Deny', async () => {
      const form = new URLSearchParams({
        audience: 'api.atlassian.com',
        client_id: CLIENT.clientId,
        scope: SCOPES,
        redirect_uri: REDIRECT,
        state: 'st-123',
        response_type: 'code',
        account_id: 'acc-alice',
        decision: 'deny',
      });
      const res = await fetch(`${h.base}/authorize/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
      });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get('location') ?? '');
      assert.equal(location.searchParams.get('error'), 'access_denied');
      assert.equal(location.searchParams.get('state'), 'st-123');
      assert.equal(location.searchParams.get('code'), null);
    });

    it('never redirects to an unregistered redirect_uri', async () => {
      const res = await fetch(authorizeUrl(h.base, { redirect_uri: 'https://evil.example/cb', account_id: 'acc-alice' }), { redirect: 'manual' });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
    });

    it('rejects an unknown client and a wrong audience with an error page', async () => {
      assert.equal((await fetch(authorizeUrl(h.base, { client_id: 'nope' }), { redirect: 'manual' })).status, 400);
      assert.equal((await fetch(authorizeUrl(h.base, { audience: 'example.com' }), { redirect: 'manual' })).status, 400);
    });
  });

  describe('authorization code grant', () => {
    it('exchanges a code for tokens with the granted scope (JSON body)', async () => {
      const { verifier, challenge } = pkcePair();
      const code = await obtainCode(h, { code_challenge: challenge, code_challenge_method: 'S256' });
      const { status, body } = await exchange(h, code, verifier);
      assert.equal(status, 200);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 3600);
      assert.equal(body.scope, SCOPES);
      assert.equal(typeof body.refresh_token, 'string');
      assert.deepEqual(h.oauth.verifyAccessToken(String(body.access_token)), {
        accountId: 'acc-alice',
        clientId: CLIENT.clientId,
        scopes: SCOPES.split(' '),
      });
    });

    it('accepts a form-encoded token request', async () => {
      const code = await obtainCode(h);
      const { status, body } = await exchange(h, code, undefined, 'form');
      assert.equal(status, 200);
      assert.ok(h.oauth.verifyAccessToken(String(body.access_token)));
    });

    it('issues no refresh token without offline_access', async () => {
      const code = await obtainCode(h, { scope: 'read:jira-work' });
      const { body } = await exchange(h, code);
      assert.equal(body.refresh_token, undefined);
      assert.equal(body.scope, 'read:jira-work');
    });

    it('fails PKCE with a wrong or missing verifier', async () => {
      const { challenge } = pkcePair();
      const code = await obtainCode(h, { code_challenge: challenge, code_challenge_method: 'S256' });
      const wrong = await exchange(h, code, pkcePair().verifier);
      assert.equal(wrong.status, 403);
      assert.deepEqual(wrong.body, { error: 'invalid_grant', error_description: 'Failed to verify code verifier' });
      const missing = await exchange(h, code);
      assert.equal(missing.status, 403);
      assert.equal(missing.body.error, 'invalid_grant');
    });

    it('requires PKCE from an app registered with requirePkce, and checks its verifier', async () => {
      h.oauth.registerClient({ ...CLIENT, requirePkce: true });
      const res = await fetch(authorizeUrl(h.base, { account_id: 'acc-alice' }), { redirect: 'manual' });
      assert.equal(res.status, 302);
      const back = new URL(res.headers.get('location') ?? '');
      assert.equal(back.searchParams.get('code'), null, 'no code without a challenge');
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('state'), 'st-123');

      // The consent form is checked the same way: dropping the challenge from the form gets no code either.
      const form = new URLSearchParams({ ...Object.fromEntries(new URL(authorizeUrl(h.base)).searchParams), account_id: 'acc-alice', decision: 'accept' });
      const posted = await fetch(`${h.base}/authorize/consent`, { method: 'POST', body: form, redirect: 'manual' });
      assert.equal(new URL(posted.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request');

      const { verifier, challenge } = pkcePair();
      const code = await obtainCode(h, { code_challenge: challenge, code_challenge_method: 'S256' });
      assert.equal((await exchange(h, code, pkcePair().verifier)).status, 403, 'a verifier of another challenge');
      const other = await obtainCode(h, { code_challenge: challenge, code_challenge_method: 'S256' });
      assert.equal((await exchange(h, other, verifier)).status, 200);
    });

    it('rejects a plain PKCE method back to the app', async () => {
      const res = await fetch(authorizeUrl(h.base, { code_challenge: 'abc', code_challenge_method: 'plain', account_id: 'acc-alice' }), { redirect: 'manual' });
      assert.equal(res.status, 302);
      assert.equal(new URL(res.headers.get('location') ?? '').searchParams.get('error'), 'invalid_request');
    });

    it('makes codes single-use and revokes what a reused code produced', async () => {
      const code = await obtainCode(h);
      const first = await exchange(h, code);
      assert.equal(first.status, 200);
      const second = await exchange(h, code);
      assert.equal(second.status, 403);
      assert.deepEqual(second.body, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
      assert.equal(h.oauth.verifyAccessToken(String(first.body.access_token)), null);
    });

    it('expires codes', async () => {
      const code = await obtainCode(h);
      h.clock.now += 601_000;
      const { status, body } = await exchange(h, code);
      assert.equal(status, 403);
      assert.equal(body.error, 'invalid_grant');
    });

    it('rejects a redirect_uri that differs from the authorize request', async () => {
      h.oauth.registerClient({ ...CLIENT, redirectUris: [REDIRECT, 'http://127.0.0.1:3978/other'] });
      const code = await obtainCode(h);
      const { status, body } = await postToken(h, {
        grant_type: 'authorization_code',
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        code,
        redirect_uri: 'http://127.0.0.1:3978/other',
      });
      assert.equal(status, 403);
      assert.equal(body.error, 'invalid_grant');
    });

    it('answers a wrong client secret with 401 access_denied', async () => {
      const code = await obtainCode(h);
      const { status, body } = await postToken(h, {
        grant_type: 'authorization_code',
        client_id: CLIENT.clientId,
        client_secret: 'wrong',
        code,
        redirect_uri: REDIRECT,
      });
      assert.equal(status, 401);
      assert.deepEqual(body, { error: 'access_denied', error_description: 'Unauthorized' });
    });

    it('answers an unknown grant type and a missing parameter with 400', async () => {
      const unknown = await postToken(h, { grant_type: 'password', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.error, 'unsupported_grant_type');
      const missing = await postToken(h, { grant_type: 'refresh_token', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error, 'invalid_request');
    });
  });

  describe('access tokens', () => {
    it('expire after expires_in', async () => {
      const { body } = await exchange(h, await obtainCode(h));
      const token = String(body.access_token);
      h.clock.now += 3599_000;
      assert.ok(h.oauth.verifyAccessToken(token));
      h.clock.now += 1000;
      assert.equal(h.oauth.verifyAccessToken(token), null);
      assert.equal((await accessibleResources(h, token)).status, 401);
    });

    it('take a configurable lifetime', async () => {
      await h.close();
      h = await start({ accessTokenTtlSeconds: 5 });
      const { body } = await exchange(h, await obtainCode(h));
      assert.equal(body.expires_in, 5);
      h.clock.now += 5000;
      assert.equal(h.oauth.verifyAccessToken(String(body.access_token)), null);
    });
  });

  describe('refresh token rotation', () => {
    it('rotates: each refresh answers a new access token and a new refresh token that works', async () => {
      const first = await exchange(h, await obtainCode(h));
      const rotated = await refresh(h, String(first.body.refresh_token));
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.refresh_token, first.body.refresh_token);
      assert.notEqual(rotated.body.access_token, first.body.access_token);
      assert.equal(rotated.body.scope, SCOPES);
      assert.ok(h.oauth.verifyAccessToken(String(rotated.body.access_token)));
      const next = await refresh(h, String(rotated.body.refresh_token));
      assert.equal(next.status, 200);
    });

    it('revokes the whole grant when a rotated token is reused after the 10-minute leeway', async () => {
      const first = await exchange(h, await obtainCode(h));
      const rotated = await refresh(h, String(first.body.refresh_token));
      h.clock.now += 11 * 60 * 1000;
      const reuse = await refresh(h, String(first.body.refresh_token));
      assert.equal(reuse.status, 403);
      assert.deepEqual(reuse.body, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
      // The legitimate holder's newer tokens die with it: the user must consent again.
      assert.equal((await refresh(h, String(rotated.body.refresh_token))).status, 403);
      assert.equal(h.oauth.verifyAccessToken(String(rotated.body.access_token)), null);
    });

    it('tolerates reuse inside the leeway (concurrent refreshes)', async () => {
      const first = await exchange(h, await obtainCode(h));
      const rotated = await refresh(h, String(first.body.refresh_token));
      h.clock.now += 60_000;
      const again = await refresh(h, String(first.body.refresh_token));
      assert.equal(again.status, 200);
      assert.equal((await refresh(h, String(rotated.body.refresh_token))).status, 200);
    });

    it('expires a refresh token after 90 days unused', async () => {
      const first = await exchange(h, await obtainCode(h));
      h.clock.now += 90 * 24 * 3600 * 1000;
      assert.equal((await refresh(h, String(first.body.refresh_token))).status, 403);
    });

    it('refuses a refresh token presented by another client', async () => {
      h.oauth.registerClient({ clientId: 'other', clientSecret: 'x', redirectUris: [REDIRECT] });
      const first = await exchange(h, await obtainCode(h));
      const stolen = await postToken(h, { grant_type: 'refresh_token', client_id: 'other', client_secret: 'x', refresh_token: String(first.body.refresh_token) });
      assert.equal(stolen.status, 403);
      assert.equal(stolen.body.error, 'invalid_grant');
    });
  });

  describe('revokeGrant', () => {
    it('kills the access and refresh tokens of that user and app only', async () => {
      const alice = await exchange(h, await obtainCode(h));
      const bob = await exchange(h, await obtainCode(h, { account_id: 'acc-bob' }));
      h.oauth.revokeGrant('acc-alice', CLIENT.clientId);
      assert.equal(h.oauth.verifyAccessToken(String(alice.body.access_token)), null);
      assert.equal((await accessibleResources(h, String(alice.body.access_token))).status, 401);
      const refused = await refresh(h, String(alice.body.refresh_token));
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, 'invalid_grant');
      assert.ok(h.oauth.verifyAccessToken(String(bob.body.access_token)));
      // Consenting again starts a fresh grant.
      const again = await exchange(h, await obtainCode(h));
      assert.ok(h.oauth.verifyAccessToken(String(again.body.access_token)));
    });
  });

  it('revokeGrant also voids a code consented to before it', async () => {
    const code = await obtainCode(h);
    h.oauth.revokeGrant('acc-alice', CLIENT.clientId);
    const { status, body } = await exchange(h, code);
    assert.equal(status, 403);
    assert.equal(body.error, 'invalid_grant');
  });

  describe('accessible-resources', () => {
    it('lists the site with the granted scopes, and a second site once added', async () => {
      const { body } = await exchange(h, await obtainCode(h));
      const token = String(body.access_token);
      const one = await accessibleResources(h, token);
      assert.equal(one.status, 200);
      assert.deepEqual(one.body, [
        {
          id: 'cloud-1',
          url: 'https://acme.atlassian.net',
          name: 'acme',
          scopes: ['read:jira-work', 'write:jira-work', 'manage:jira-webhook'],
          avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png',
        },
      ]);
      h.oauth.sites.add({ cloudId: 'cloud-2', name: 'beta', url: 'https://beta.atlassian.net', avatarUrl: 'https://example.com/a.png' });
      const two = (await accessibleResources(h, token)).body as Array<{ id: string; avatarUrl: string }>;
      assert.deepEqual(
        two.map((site) => site.id),
        ['cloud-1', 'cloud-2'],
      );
      assert.equal(two[1].avatarUrl, 'https://example.com/a.png');
    });

    it('answers 401 without a valid bearer token', async () => {
      assert.equal((await accessibleResources(h, 'bogus')).status, 401);
      const res = await fetch(`${h.base}/oauth/token/accessible-resources`);
      assert.equal(res.status, 401);
    });
  });
});
