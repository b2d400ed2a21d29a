import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createPkcePair } from '../../src/connections/create-pkce-pair';
import { oauthStateKey, signOAuthState, verifyOAuthState } from '../../src/connections/oauth-state';

describe('OAuth state and PKCE', () => {
  const key = oauthStateKey(randomBytes(32));
  const payload = { nonce: 'n1', owner: { tenantId: 't', userId: 'u' }, conversationId: 'a:conv', expiresAt: 2000 };

  it('round-trips a signed state until it expires', () => {
    const state = signOAuthState(payload, key);
    assert.deepEqual(verifyOAuthState(state, key, 1999), payload);
    assert.equal(verifyOAuthState(state, key, 2000), undefined);
  });

  it('refuses a state whose payload was changed (another user) or signed with another key', () => {
    const state = signOAuthState(payload, key);
    const [, signature] = state.split('.');
    const forged = Buffer.from(JSON.stringify({ n: 'n1', t: 't', u: 'mallory', c: 'a:conv', e: 2000 })).toString('base64url');
    assert.equal(verifyOAuthState(`${forged}.${signature}`, key, 0), undefined);
    assert.equal(verifyOAuthState(signOAuthState(payload, oauthStateKey(randomBytes(32))), key, 0), undefined);
    assert.equal(verifyOAuthState('garbage', key, 0), undefined);
  });

  it('makes an S256 challenge of a high-entropy verifier', () => {
    const { verifier, challenge } = createPkcePair();
    assert.match(verifier, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(challenge, createHash('sha256').update(verifier).digest('base64url'));
    assert.notEqual(createPkcePair().verifier, verifier);
  });
});
