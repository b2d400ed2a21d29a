import assert from 'node:assert/strict';
import { ConfigError, readConfig } from '../../src/config';

const AZURE = { STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };

describe('cluster mode settings', () => {
  it('stays a single instance (no Redis) by default, with SQLite or with Azure Tables', () => {
    assert.equal(readConfig({}).cluster, undefined);
    assert.equal(readConfig(AZURE).cluster, undefined);
  });

  it('turns cluster mode on with STORE=azure and REDIS_URL', () => {
    assert.deepEqual(readConfig({ ...AZURE, REDIS_URL: 'rediss://:key@cache.redis.cache.windows.net:6380' }).cluster, {
      redisUrl: 'rediss://:key@cache.redis.cache.windows.net:6380',
    });
  });

  it('refuses REDIS_URL without STORE=azure, and a URL that is not redis:// or rediss://, without echoing it', () => {
    for (const [env, expected] of [
      [{ REDIS_URL: 'redis://127.0.0.1:6379' }, /REDIS_URL: only with STORE=azure/],
      [{ ...AZURE, REDIS_URL: 'https://:secret-key@cache.example.com' }, /REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/],
    ] as const) {
      assert.throws(
        () => readConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.problems.length, 1);
          assert.match(error.problems[0], expected);
          assert.doesNotMatch(error.problems[0], /secret-key/);
          return true;
        },
      );
    }
  });
});
