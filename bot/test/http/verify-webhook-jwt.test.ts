import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { signWebhookJwt } from '../../../dev/jira-sim/src/webhooks/sign-webhook-jwt';
import { verifyWebhookJwt } from '../../src/http/verify-webhook-jwt';

const SECRET = 'client-secret-of-the-app';
const CLIENT_ID = 'client-id-of-the-app';
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const claims = { clientId: CLIENT_ID, accountId: 'acc-1', issuer: 'https://acme.atlassian.net', nowMs: NOW };
const key = new TextEncoder().encode(SECRET);
const seconds = (ms: number) => Math.floor(ms / 1000);

/** A token signed by hand, for headers and claims the simulator never produces. */
function handMade(header: object, payload: object, secret = SECRET): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part(header)}.${part(payload)}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}

const SITE = 'https://acme.atlassian.net';
const CLOUD_ID = '0c6f3f2e-1111-4a2b-9c3d-acme00000001';
const expected = { audience: CLIENT_ID, issuers: [SITE, CLOUD_ID], nowMs: NOW };
const verify = (token: string, options: { audience?: string; issuers?: string[]; nowMs?: number } = {}) => verifyWebhookJwt(`Bearer ${token}`, SECRET, { ...expected, ...options });

describe('verifyWebhookJwt (dynamic webhooks of an OAuth 2.0 app)', () => {
  it('accepts the token Jira signs with the client secret and returns its claims', async () => {
    const found = await verify(await signWebhookJwt(SECRET, claims));
    assert.equal(found?.iss, claims.issuer);
    assert.equal(found?.sub, 'acc-1');
  });

  it('refuses another secret, a tampered payload, none and other algorithms', async () => {
    const good = await signWebhookJwt(SECRET, claims);
    const [header, , signature] = good.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: 'someone-else', exp: seconds(NOW) + 60 })).toString('base64url')}.${signature}`;
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${good.split('.')[1]}.`;
    const hs512 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS512' })
      .setExpirationTime(seconds(NOW) + 60)
      .sign(key);
    for (const token of [await signWebhookJwt('another-secret', claims), tampered, none, hs512, 'not.a.jwt', '']) {
      assert.equal(await verify(token), undefined, token);
    }
    assert.equal(await verifyWebhookJwt(undefined, SECRET, expected), undefined, 'no header');
    assert.equal(await verifyWebhookJwt(`Basic ${good}`, SECRET, expected), undefined, 'not a bearer token');
    assert.equal(await verifyWebhookJwt(`Bearer ${good}`, '', expected), undefined, 'no secret configured');
  });

  it('requires exp and allows a minute of clock skew past it, no more', async () => {
    const exp = seconds(NOW);
    const bound = { iss: SITE, aud: CLIENT_ID };
    assert.equal(await verify(handMade({ alg: 'HS256' }, bound)), undefined, 'no exp');
    assert.ok(await verify(handMade({ alg: 'HS256' }, { ...bound, exp }), { nowMs: NOW + 59_000 }));
    assert.equal(await verify(handMade({ alg: 'HS256' }, { ...bound, exp }), { nowMs: NOW + 62_000 }), undefined);
  });

  it('requires aud naming this app, among others or alone', async () => {
    const exp = seconds(NOW) + 120;
    assert.ok(await verify(handMade({ alg: 'HS256' }, { exp, iss: SITE, aud: [CLIENT_ID, 'other'] })));
    assert.equal(await verify(handMade({ alg: 'HS256' }, { exp, iss: SITE, aud: 'another-app' })), undefined);
    assert.equal(await verify(handMade({ alg: 'HS256' }, { exp, iss: SITE })), undefined, 'no aud');
  });

  it("requires iss naming the route's own site: its URL in any case or its cloud id, not another site", async () => {
    const exp = seconds(NOW) + 120;
    const token = (iss?: string) => handMade({ alg: 'HS256' }, { exp, aud: CLIENT_ID, ...(iss === undefined ? {} : { iss }) });
    assert.ok(await verify(token('https://ACME.atlassian.net/')));
    assert.ok(await verify(token(CLOUD_ID)));
    assert.equal(await verify(token()), undefined, 'no iss');
    assert.equal(await verify(token('https://other.atlassian.net')), undefined, 'another site');
    assert.equal(await verify(token('https://acme.atlassian.net.evil.example')), undefined, 'a look-alike');
    assert.equal(await verify(await signWebhookJwt(SECRET, claims), { issuers: ['https://other.atlassian.net'] }), undefined);
  });
});
