import { siteBase, siteKey } from '../jira/site-url';
import { StoreConflictError, type Store } from '../store/store';
import { storeKeyPart } from '../store/store-key-part';
import type { SiteWebhookHealth, WebhookHealth } from './webhook-health';

export const WEBHOOK_HEALTH_TABLE = 'webhook-health';
const PARTITION = 'sites';
/** A healthy site's "last webhook" is rewritten at most this often per instance: intake must not write per callback. */
const WEBHOOK_WRITE_EVERY_MS = 60_000;
/** How long an instance trusts its memory of a row before reading it again: another instance may have marked the site silent. */
const REMEMBER_MS = 10_000;
const ATTEMPTS = 5;

/**
 * Webhook health in the Store, one row per site, so every instance (SQLite file or Azure
 * Tables) sees what any of them learned. Each change is a read-modify-write under the row's
 * ETag, retried on a conflict. Webhook intake is the hot path: an instance remembers what it last
 * read or wrote per site (for a few seconds: another instance may mark the site silent) and skips
 * writes that would change nothing but a timestamp at most a minute old.
 */
export function storeWebhookHealth(store: Store, options: { now: () => number }): WebhookHealth {
  const keyOf = (site: string) => ({ table: WEBHOOK_HEALTH_TABLE, partition: PARTITION, row: storeKeyPart(siteKey(site)) });
  const written = new Map<string, { health: SiteWebhookHealth; at: number }>();
  const remember = (site: string, health: SiteWebhookHealth) => written.set(siteKey(site), { health, at: options.now() });
  /** The webhookReceived update running per site, if any. */
  const receiving = new Map<string, Promise<void>>();

  const update = async (site: string, change: (current: SiteWebhookHealth) => SiteWebhookHealth | undefined): Promise<void> => {
    for (let attempt = 1; ; attempt += 1) {
      const item = await store.get<SiteWebhookHealth>(keyOf(site));
      const next = change(item?.value ?? { site: siteBase(site) });
      if (!next) {
        if (item) remember(site, item.value);
        return;
      }
      try {
        await store.put(keyOf(site), next, item ? { ifMatch: item.etag } : { ifNoneMatch: '*' });
        remember(site, next);
        return;
      } catch (error) {
        if (!(error instanceof StoreConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  };

  return {
    async read(site) {
      return (await store.get<SiteWebhookHealth>(keyOf(site)))?.value;
    },
    async list() {
      return (await store.list<SiteWebhookHealth>(WEBHOOK_HEALTH_TABLE, PARTITION)).map((item) => item.value);
    },
    async webhookReceived(site, webhookIds) {
      const at = options.now();
      const names = (health: SiteWebhookHealth) => health.registration?.webhookIds.some((id) => webhookIds.includes(id)) ?? false;
      // Nothing new to say: a webhook was written lately, no failure or missed change waits to be cleared, and
      // a webhook naming the registration was already recorded after it was made.
      const settled = (health: SiteWebhookHealth) =>
        health.lastWebhookAt !== undefined &&
        at - health.lastWebhookAt < WEBHOOK_WRITE_EVERY_MS &&
        !health.missed &&
        !health.registrationFailure &&
        (!names(health) || (health.registrationDeliveredAt ?? -Infinity) >= (health.registration?.at ?? Infinity));
      const remembered = () => {
        const last = written.get(siteKey(site));
        return last !== undefined && at - last.at < REMEMBER_MS && settled(last.health);
      };
      if (remembered()) return;
      // A burst's webhooks reach a cold instance together: the first reads (and writes) the row,
      // the others wait for it and are then settled by what it learned, instead of a read each.
      const running = receiving.get(siteKey(site));
      if (running) {
        await running.catch(() => undefined);
        if (remembered()) return;
      }
      const mine = update(site, (current) => {
        if (settled(current)) return undefined;
        const { missed: _missed, registrationFailure: _failure, ...rest } = current;
        return { ...rest, lastWebhookAt: at, ...(names(current) ? { registrationDeliveredAt: at } : {}) };
      });
      receiving.set(siteKey(site), mine);
      try {
        await mine;
      } finally {
        if (receiving.get(siteKey(site)) === mine) receiving.delete(siteKey(site));
      }
    },
    async registered(site, registration) {
      const at = options.now();
      await update(site, (current) => {
        const same =
          current.registration !== undefined &&
          current.registration.jqlFilter === registration.jqlFilter &&
          current.registration.through === registration.through &&
          current.registration.webhookIds.join(',') === registration.webhookIds.join(',');
        const { registrationFailure: _failure, ...rest } = current;
        // A registration seen again keeps its date, so proof of delivery through it still counts.
        return { ...rest, registration: { ...registration, at: same ? current.registration!.at : at, checkedAt: at } };
      });
    },
    async registrationFailed(site, code) {
      const at = options.now();
      await update(site, (current) => ({ ...current, registrationFailure: { at, code } }));
    },
    async unregistered(site) {
      await update(site, (current) => {
        if (!current.registration && !current.registrationFailure) return undefined;
        const { registration: _registration, registrationFailure: _failure, registrationDeliveredAt: _delivered, ...rest } = current;
        return rest;
      });
    },
    async avoidThrough(site, accounts) {
      await update(site, (current) => {
        const { undeliveredThrough: _avoided, ...rest } = current;
        return accounts.length > 0 ? { ...rest, undeliveredThrough: [...accounts] } : rest;
      });
    },
    async changesMissed(site, changes) {
      const at = options.now();
      await update(site, (current) => ({ ...current, missed: { at, changes } }));
    },
  };
}
