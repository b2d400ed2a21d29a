import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TokenCipher, tokenKey } from '../../src/connections/token-cipher';
import { WEBHOOK_SECRETS_TABLE, webhookSecrets } from '../../src/alerts/webhook-secrets';
import { storeKeyPart } from '../../src/store/store-key-part';
import type { Store } from '../../src/store/store';
import { openTestStore } from '../connections/open-test-store';

const ACME = 'https://acme.atlassian.net';
const BETA = 'https://beta.atlassian.net';

describe('webhookSecrets (one admin webhook secret per Jira site)', () => {
  let store: Store;
  const cipher = new TokenCipher(tokenKey(randomBytes(32)));
  const keyOf = (site: string) => ({ table: WEBHOOK_SECRETS_TABLE, partition: storeKeyPart(site), row: 'admin' });

  beforeEach(() => {
    store = openTestStore();
  });
  afterEach(async () => store.close());

  it('generates a secret per site once, the same for every instance, and stores it sealed', async () => {
    const one = webhookSecrets(store, cipher);
    const other = webhookSecrets(store, cipher);
    assert.equal(await one.existing(ACME), undefined, 'nothing until someone asks');
    const [first, racing] = await Promise.all([one.secretFor(ACME), other.secretFor('https://ACME.atlassian.net/')]);
    assert.match(first, /^[0-9a-f]{64}$/);
    assert.equal(racing, first, 'two instances asking at once agree');
    assert.equal(await webhookSecrets(store, cipher).existing(ACME), first);
    assert.notEqual(await one.secretFor(BETA), first, 'another site, another secret');
    assert.doesNotMatch(JSON.stringify(await store.list(WEBHOOK_SECRETS_TABLE)), new RegExp(first));
  });

  it("does not open a row copied onto another site's key", async () => {
    await webhookSecrets(store, cipher).secretFor(ACME);
    const row = await store.get(keyOf(ACME));
    assert.ok(row);
    await store.put(keyOf(BETA), row.value);
    assert.equal(await webhookSecrets(store, cipher).existing(BETA), undefined);
  });

  it('treats a secret sealed under a replaced key as gone, and makes a new one when asked', async () => {
    const old = await webhookSecrets(store, cipher).secretFor(ACME);
    const replaced = webhookSecrets(store, new TokenCipher(tokenKey(randomBytes(32))));
    assert.equal(await replaced.existing(ACME), undefined);
    const fresh = await replaced.secretFor(ACME);
    assert.notEqual(fresh, old);
    assert.equal(await replaced.existing(ACME), fresh);
  });

  it('remembers a site without a secret briefly, then sees one another instance created', async () => {
    let now = 1_000_000;
    const intake = webhookSecrets(store, cipher, { now: () => now });
    assert.equal(await intake.existing(ACME), undefined);
    const created = await webhookSecrets(store, cipher).secretFor(ACME);
    assert.equal(await intake.existing(ACME), undefined, 'within ten seconds the miss stands');
    now += 10_001;
    assert.equal(await intake.existing(ACME), created);
  });

  it('reads a site once for the webhooks that reach an instance together, not once each', async () => {
    const created = await webhookSecrets(store, cipher).secretFor(ACME);
    let gets = 0;
    const counted: Store = { ...store, get: (key) => ((gets += 1), store.get(key)) };
    const cold = webhookSecrets(counted, cipher);
    assert.deepEqual(
      await Promise.all(Array.from({ length: 20 }, () => cold.existing(ACME))),
      Array.from({ length: 20 }, () => created),
    );
    assert.equal(gets, 1);
  });
});
