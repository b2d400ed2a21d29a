import { randomBytes } from 'node:crypto';
import { siteBase, siteKey } from '../jira/site-url';
import type { Store, StoredItem } from '../store/store';
import { storeKeyPart } from '../store/store-key-part';

/** One row per site: the admin webhook secret, sealed. */
export const WEBHOOK_SECRETS_TABLE = 'webhook-secrets';
const ROW = 'admin';
/** How long "this site has no secret" is believed: intake asks per callback, another instance may create one. */
const MISSING_TTL_MS = 10_000;

/** Seals secrets at rest: the connections' token cipher (AES-256-GCM, rotating keys) fits. */
export interface SecretSealer {
  encrypt(plaintext: string, associatedData?: string): string;
  decrypt(envelope: string, associatedData?: string): string;
}

interface SecretRow {
  sealed: string;
  site: string;
  createdAt: string;
}

export interface WebhookSecrets {
  /** The site's admin webhook secret, generated (32 random bytes, hex) and stored the first time it is asked for. */
  secretFor(siteUrl: string): Promise<string>;
  /** The site's secret if one was ever generated; never creates one (webhook intake asks on every callback). */
  existing(siteUrl: string): Promise<string | undefined>;
}

/**
 * A secret per Jira site for its admin-registered webhook, so a secret shown to one site's
 * admin signs nothing for another site. Sealed like tokens, with the site as associated data:
 * a row copied onto another site's key does not open there. Opened secrets are kept in memory
 * (they never change), so intake reads the store once per site.
 */
export function webhookSecrets(store: Store, sealer: SecretSealer, options: { now?: () => number } = {}): WebhookSecrets {
  const now = options.now ?? Date.now;
  const opened = new Map<string, string>();
  const missingSince = new Map<string, number>();
  const keyOf = (siteUrl: string) => ({ table: WEBHOOK_SECRETS_TABLE, partition: storeKeyPart(siteKey(siteUrl)), row: ROW });
  const associated = (siteUrl: string) => `webhook-secret|${siteKey(siteUrl)}`;

  const reads = new Map<string, Promise<StoredItem<SecretRow> | undefined>>();
  /** The stored secret, opened; `unreadable` when its row no longer opens (the token key was replaced). */
  const read = async (siteUrl: string): Promise<{ secret: string } | { unreadable: true } | undefined> => {
    const cached = opened.get(siteKey(siteUrl));
    if (cached !== undefined) return { secret: cached };
    const missing = missingSince.get(siteKey(siteUrl));
    if (missing !== undefined && now() - missing < MISSING_TTL_MS) return undefined;
    // Webhooks reaching an instance together share one read of their site's row, not one each.
    let reading = reads.get(siteKey(siteUrl));
    if (!reading) {
      reading = store.get<SecretRow>(keyOf(siteUrl)).finally(() => reads.delete(siteKey(siteUrl)));
      reads.set(siteKey(siteUrl), reading);
    }
    const item = await reading;
    if (!item) {
      missingSince.set(siteKey(siteUrl), now());
      return undefined;
    }
    missingSince.delete(siteKey(siteUrl));
    let secret: string;
    try {
      secret = sealer.decrypt(item.value.sealed, associated(siteUrl));
    } catch {
      return { unreadable: true };
    }
    opened.set(siteKey(siteUrl), secret);
    return { secret };
  };

  const create = async (siteUrl: string, replace: boolean): Promise<string> => {
    const secret = randomBytes(32).toString('hex');
    const row: SecretRow = { sealed: sealer.encrypt(secret, associated(siteUrl)), site: siteBase(siteUrl), createdAt: new Date(now()).toISOString() };
    if (replace) {
      await store.put(keyOf(siteUrl), row);
      opened.set(siteKey(siteUrl), secret);
      return secret;
    }
    // Insert-only: two instances asking at once both end with the one secret that was stored first.
    const [stored] = await store.insertNew([{ key: keyOf(siteUrl), value: row }]);
    if (stored) {
      opened.set(siteKey(siteUrl), secret);
      return secret;
    }
    missingSince.delete(siteKey(siteUrl));
    const winner = await read(siteUrl);
    if (!winner || !('secret' in winner)) throw new Error(`The webhook secret of ${siteBase(siteUrl)} was neither stored nor readable`);
    return winner.secret;
  };

  return {
    async existing(siteUrl) {
      const found = await read(siteUrl);
      // A secret sealed under a key that was replaced signs nothing any more: the admin asks for a new one.
      return found && 'secret' in found ? found.secret : undefined;
    },
    async secretFor(siteUrl) {
      // Asked for on purpose: look at the store, not at a remembered miss.
      missingSince.delete(siteKey(siteUrl));
      const found = await read(siteUrl);
      if (!found) return create(siteUrl, false);
      return 'secret' in found ? found.secret : create(siteUrl, true);
    },
  };
}
