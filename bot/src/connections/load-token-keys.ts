import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import { tokenKey, type TokenKey } from './token-cipher';

/** The Key Vault secret that holds the key, base64; its older enabled versions stay readable. */
export const KEY_VAULT_SECRET_NAME = 'token-encryption-key';
const LOCAL_KEY_FILE = 'token-encryption.key';

export interface TokenKeys {
  current: TokenKey;
  previous: TokenKey[];
  source: 'config' | 'keyVault' | 'localFile';
}

/** The part of @azure/keyvault-secrets' SecretClient this module reads. */
export interface SecretReader {
  getSecret(name: string, options?: { version?: string }): Promise<{ value?: string; properties: { version?: string } }>;
  listPropertiesOfSecretVersions(name: string): AsyncIterable<{ version?: string; enabled?: boolean }>;
}

export interface LoadTokenKeysDeps {
  /** Builds the Key Vault client; the default uses DefaultAzureCredential (managed identity in Azure). */
  secretReader?: (vaultUrl: string) => SecretReader | Promise<SecretReader>;
  warn?: (message: string) => void;
}

export class TokenKeyError extends Error {
  constructor(
    readonly code: 'TOKEN_KEY_MISSING' | 'TOKEN_KEY_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'TokenKeyError';
  }
}

/**
 * Finds the key that encrypts tokens at rest, once at boot (the result is the cache):
 * TOKEN_ENCRYPTION_KEY from config; else the Key Vault secret when KEY_VAULT_URL is set;
 * else, in local mode only, a key generated into DATA_DIR. Anywhere else a missing key stops
 * the boot: silently generating one would lose every connection on the next instance.
 */
export async function loadTokenKeys(config: Config, deps: LoadTokenKeysDeps = {}): Promise<TokenKeys> {
  if (config.secrets.tokenEncryptionKey) {
    return { current: tokenKey(config.secrets.tokenEncryptionKey), previous: [], source: 'config' };
  }
  if (config.secrets.keyVaultUrl) {
    const reader = await (deps.secretReader ?? defaultSecretReader)(config.secrets.keyVaultUrl);
    return { ...(await readFromKeyVault(reader)), source: 'keyVault' };
  }
  if (config.localMode) {
    const file = path.join(config.dataDir, LOCAL_KEY_FILE);
    const { key, created } = await readOrCreateLocalKey(file);
    if (created) {
      deps.warn?.(`Generated a token encryption key in ${file} for local use. Set TOKEN_ENCRYPTION_KEY or KEY_VAULT_URL in production.`);
    }
    return { current: tokenKey(key), previous: [], source: 'localFile' };
  }
  throw new TokenKeyError(
    'TOKEN_KEY_MISSING',
    'TOKEN_ENCRYPTION_KEY: required outside local mode to encrypt Jira tokens at rest (32 random bytes in base64: openssl rand -base64 32), or set KEY_VAULT_URL to read it from Azure Key Vault',
  );
}

async function readFromKeyVault(reader: SecretReader): Promise<{ current: TokenKey; previous: TokenKey[] }> {
  const latest = await reader.getSecret(KEY_VAULT_SECRET_NAME);
  const current = tokenKey(decodeKey(latest.value, 'current'));
  const previous: TokenKey[] = [];
  for await (const version of reader.listPropertiesOfSecretVersions(KEY_VAULT_SECRET_NAME)) {
    if (!version.version || version.enabled === false || version.version === latest.properties.version) continue;
    const old = await reader.getSecret(KEY_VAULT_SECRET_NAME, { version: version.version });
    previous.push(tokenKey(decodeKey(old.value, `version ${version.version}`)));
  }
  return { current, previous };
}

function decodeKey(value: string | undefined, which: string): Buffer {
  const key = Buffer.from(value?.trim() ?? '', 'base64');
  if (key.length !== 32) {
    throw new TokenKeyError('TOKEN_KEY_INVALID', `Key Vault secret ${KEY_VAULT_SECRET_NAME} (${which}) must hold 32 random bytes in base64 (openssl rand -base64 32)`);
  }
  return key;
}

async function readOrCreateLocalKey(file: string): Promise<{ key: Buffer; created: boolean }> {
  await mkdir(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    // 'wx' so two local processes starting together cannot each write a different key.
    await writeFile(file, key.toString('base64'), { flag: 'wx', mode: 0o600 });
    return { key, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stored = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (stored.length !== 32) {
    throw new TokenKeyError('TOKEN_KEY_INVALID', `${file} does not hold a 32-byte base64 key; delete it to generate a new one`);
  }
  return { key: stored, created: false };
}

async function defaultSecretReader(vaultUrl: string): Promise<SecretReader> {
  // Loaded only when Key Vault is configured, so local runs never touch the Azure SDK.
  const [{ SecretClient }, { DefaultAzureCredential }] = await Promise.all([import('@azure/keyvault-secrets'), import('@azure/identity')]);
  return new SecretClient(vaultUrl, new DefaultAzureCredential());
}
