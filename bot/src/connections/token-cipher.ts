import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export interface TokenKey {
  /** Short, stable id written into every envelope so the right key is found after a rotation. */
  id: string;
  /** 32 bytes for AES-256. */
  key: Buffer;
}

export class TokenCipherError extends Error {
  readonly code = 'TOKEN_DECRYPT_FAILED';
  constructor(reason: string) {
    super(`Could not decrypt a stored token: ${reason}`);
    this.name = 'TokenCipherError';
  }
}

const VERSION = 'v1';

/** Derives a key id from the key itself, so configuration needs no separate id to keep in step. */
export function tokenKey(key: Buffer): TokenKey {
  if (key.length !== 32) throw new Error(`A token encryption key must be 32 bytes, got ${key.length}`);
  return { id: createHash('sha256').update('jira-teams token key id').update(key).digest('hex').slice(0, 12), key };
}

/**
 * AES-256-GCM for tokens at rest. Envelope: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url),
 * with a fresh 96-bit IV per message. New data is sealed with the current key; data sealed with
 * an older key still opens while that key is listed in `previous`, and `needsRotation` tells the
 * repository to re-seal it. The associated data binds a ciphertext to its owner, so a row copied
 * onto another user's row does not decrypt there.
 */
export class TokenCipher {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly current: TokenKey,
    previous: TokenKey[] = [],
  ) {
    this.keys = new Map([...previous, current].map((k) => [k.id, k.key]));
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  decrypt(envelope: string, associatedData = ''): string {
    const parts = envelope.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new TokenCipherError('unknown envelope format');
    const [, keyId, iv, tag, ciphertext] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new TokenCipherError(`key ${keyId} is not configured`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenCipherError('the data or its tag was altered, or the key is wrong');
    }
  }

  /** True when the envelope was sealed with a key other than the current one. */
  needsRotation(envelope: string): boolean {
    return envelope.split('.')[1] !== this.current.id;
  }
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}
