import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConfig } from '../../src/config';
import { KEY_VAULT_SECRET_NAME, loadTokenKeys, type SecretReader } from '../../src/connections/load-token-keys';
import { tokenKey } from '../../src/connections/token-cipher';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-keys-'));
const botId = '00000000-0000-0000-0000-000000000001';

describe('loadTokenKeys', () => {
  it('uses TOKEN_ENCRYPTION_KEY from the config', async () => {
    const raw = randomBytes(32);
    const keys = await loadTokenKeys(readConfig({ TOKEN_ENCRYPTION_KEY: raw.toString('base64') }));
    assert.equal(keys.source, 'config');
    assert.deepEqual(keys.current, tokenKey(raw));
  });

  it('reads the key and its older enabled versions from Key Vault', async () => {
    const versions = { v3: randomBytes(32), v2: randomBytes(32), v1: randomBytes(32) };
    const asked: string[] = [];
    const reader: SecretReader = {
      async getSecret(name, options) {
        asked.push(`${name}@${options?.version ?? 'latest'}`);
        const version = (options?.version ?? 'v3') as keyof typeof versions;
        return { value: versions[version].toString('base64'), properties: { version } };
      },
      async *listPropertiesOfSecretVersions() {
        yield { version: 'v1', enabled: false };
        yield { version: 'v2', enabled: true };
        yield { version: 'v3', enabled: true };
      },
    };
    const config = readConfig({ BOT_ID: botId, BOT_PASSWORD: 'p', KEY_VAULT_URL: 'https://vault.vault.azure.net' });
    const keys = await loadTokenKeys(config, { secretReader: () => reader });
    assert.equal(keys.source, 'keyVault');
    assert.deepEqual(keys.current, tokenKey(versions.v3));
    assert.deepEqual(keys.previous, [tokenKey(versions.v2)]);
    assert.deepEqual(asked, [`${KEY_VAULT_SECRET_NAME}@latest`, `${KEY_VAULT_SECRET_NAME}@v2`]);
  });

  it('refuses a Key Vault secret that is not a 32-byte key', async () => {
    const reader: SecretReader = {
      getSecret: async () => ({ value: 'c2hvcnQ=', properties: { version: 'v1' } }),
      async *listPropertiesOfSecretVersions() {},
    };
    const config = readConfig({ BOT_ID: botId, BOT_PASSWORD: 'p', KEY_VAULT_URL: 'https://vault.vault.azure.net' });
    await assert.rejects(loadTokenKeys(config, { secretReader: () => reader }), { code: 'TOKEN_KEY_INVALID' });
  });

  it('in local mode generates a key once into DATA_DIR, warns, and reuses it on the next start', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const warnings: string[] = [];
    const first = await loadTokenKeys(readConfig({ DATA_DIR: dataDir }), { warn: (m) => warnings.push(m) });
    const second = await loadTokenKeys(readConfig({ DATA_DIR: dataDir }), { warn: (m) => warnings.push(m) });
    assert.equal(first.source, 'localFile');
    assert.deepEqual(second.current, first.current);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /TOKEN_ENCRYPTION_KEY/);
    assert.equal(fs.statSync(path.join(dataDir, 'token-encryption.key')).mode & 0o777, 0o600);
  });

  it('outside local mode, a missing key is a boot error naming the variable', async () => {
    const config = readConfig({ BOT_ID: botId, BOT_PASSWORD: 'p', DATA_DIR: tempDir() });
    await assert.rejects(loadTokenKeys(config), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'TOKEN_KEY_MISSING');
      assert.match(error.message, /^TOKEN_ENCRYPTION_KEY: required outside local mode/);
      return true;
    });
  });
});
