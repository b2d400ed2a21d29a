import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TokenCipher, TokenCipherError, tokenKey } from '../../src/connections/token-cipher';

describe('TokenCipher', () => {
  const key = tokenKey(randomBytes(32));

  it('round-trips, with a fresh IV each time and the key id in the envelope', () => {
    const cipher = new TokenCipher(key);
    const a = cipher.encrypt('secret-token', 'owner-1');
    const b = cipher.encrypt('secret-token', 'owner-1');
    assert.notEqual(a, b);
    assert.ok(!a.includes('secret-token'));
    assert.equal(a.split('.')[1], key.id);
    assert.equal(cipher.decrypt(a, 'owner-1'), 'secret-token');
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const cipher = new TokenCipher(key);
    const parts = cipher.encrypt('secret-token').split('.');
    for (const index of [2, 3, 4]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index], 'base64url');
      bytes[0] ^= 1;
      altered[index] = bytes.toString('base64url');
      assert.throws(() => cipher.decrypt(altered.join('.')), TokenCipherError);
    }
  });

  it('refuses a truncated tag', () => {
    const cipher = new TokenCipher(key);
    const parts = cipher.encrypt('secret-token').split('.');
    parts[3] = Buffer.from(parts[3], 'base64url').subarray(0, 4).toString('base64url');
    assert.throws(() => cipher.decrypt(parts.join('.')), TokenCipherError);
  });

  it('refuses a value sealed for another owner', () => {
    const cipher = new TokenCipher(key);
    assert.throws(() => cipher.decrypt(cipher.encrypt('t', 'alice'), 'mallory'), TokenCipherError);
  });

  it('opens data sealed with a previous key after rotation, and says it needs re-sealing', () => {
    const oldKey = tokenKey(randomBytes(32));
    const sealedOld = new TokenCipher(oldKey).encrypt('t');
    const rotated = new TokenCipher(key, [oldKey]);
    assert.equal(rotated.decrypt(sealedOld), 't');
    assert.equal(rotated.needsRotation(sealedOld), true);
    assert.equal(rotated.needsRotation(rotated.encrypt('t')), false);
    assert.throws(() => new TokenCipher(key).decrypt(sealedOld), /is not configured/);
  });
});
