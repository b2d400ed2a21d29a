/**
 * What the service knows about one site's webhooks, kept in the store so every instance polls
 * (or leaves alone) the same sites. Times are epoch ms by the alert pipeline's clock.
 */
export interface SiteWebhookHealth {
  /** The site's base URL. */
  site: string;
  /** The last authenticated webhook from the site (admin or dynamic). */
  lastWebhookAt?: number;
  /** The dynamic webhook the registrar last registered or confirmed, and who it acts as. */
  registration?: WebhookRegistration;
  /** The last webhook that named `registration` (Jira's `matchedWebhookIds`): proof it is delivered. */
  registrationDeliveredAt?: number;
  /** The registrar's last failure to register or refresh, when later than `registration.at`. */
  registrationFailure?: { at: number; code: string };
  /** Set when the poller found changes no webhook reported; cleared by the next webhook. */
  missed?: { at: number; changes: number };
  /** Jira accounts the registrar passes over: registrations through them were never delivered (a private app's non-owners). */
  undeliveredThrough?: string[];
}

export interface WebhookRegistration {
  webhookIds: number[];
  jqlFilter: string;
  /** The Jira account the registration was made with: a private app's webhooks reach us only when it is the app's owner. */
  through?: string;
  /** When it was registered (or, for one found in place, first seen). */
  at: number;
  /** When the registrar last compared it with Jira's list. */
  checkedAt: number;
  expiresAt?: number;
}

/** A site whose webhooks are healthy is still searched after this long without one (a quiet site, or webhooks that stopped). */
export const WEBHOOK_QUIET_MS = 60 * 60_000;

export const WebhookHealthState = {
  /** Webhooks arrive through the current registration (or the admin's) and cover what is subscribed. */
  Healthy: 'healthy',
  /** Not known to arrive yet (nothing received since the last registration, or it does not cover every subscribed project). */
  Unverified: 'unverified',
  /** Known not to arrive: registering failed, or the poller found changes no webhook reported. */
  Silent: 'silent',
} as const;
export type WebhookHealthState = (typeof WebhookHealthState)[keyof typeof WebhookHealthState];

/** The port the poller, the registrar and webhook intake share; a store implementation is the default, Redis may follow. */
export interface WebhookHealth {
  read(site: string): Promise<SiteWebhookHealth | undefined>;
  /** Every site's health, for operators. */
  list(): Promise<SiteWebhookHealth[]>;
  /** An authenticated webhook arrived; `webhookIds` are the dynamic webhooks it names (none for admin webhooks). */
  webhookReceived(site: string, webhookIds: readonly number[]): Promise<void>;
  /** The registrar registered, found or refreshed the site's dynamic webhook. */
  registered(site: string, registration: Omit<WebhookRegistration, 'at' | 'checkedAt'>): Promise<void>;
  /** The registrar could not register or refresh; the poller covers the site until a webhook arrives. */
  registrationFailed(site: string, code: string): Promise<void>;
  /** The site has no dynamic webhook any more (nothing to subscribe to). */
  unregistered(site: string): Promise<void>;
  /** The poller found `changes` changes that no webhook reported. */
  changesMissed(site: string, changes: number): Promise<void>;
  /** The accounts the registrar passes over from now on (empty: none). */
  avoidThrough(site: string, accounts: readonly string[]): Promise<void>;
}

/**
 * The state of a site's webhooks. `wantedFilter` is the dynamic webhook filter the site's
 * subscriptions need now (undefined without dynamic webhooks); `quietMs` how long a site whose
 * webhooks are healthy may go without one before the poller looks anyway.
 */
export function webhookHealthState(health: SiteWebhookHealth | undefined, options: { now: number; wantedFilter?: string; quietMs: number }): WebhookHealthState {
  if (!health) return WebhookHealthState.Unverified;
  const { registration, lastWebhookAt } = health;
  if (health.missed && (lastWebhookAt === undefined || lastWebhookAt < health.missed.at)) return WebhookHealthState.Silent;
  if (health.registrationFailure && health.registrationFailure.at >= (registration?.at ?? 0) && (lastWebhookAt ?? 0) < health.registrationFailure.at)
    return WebhookHealthState.Silent;
  if (registration) {
    // A registration counts once Jira delivered through it, and only while it covers every subscribed project.
    const delivered = (health.registrationDeliveredAt ?? -Infinity) >= registration.at;
    const covers = options.wantedFilter === undefined || options.wantedFilter === registration.jqlFilter;
    if (!delivered || !covers) return WebhookHealthState.Unverified;
  }
  if (lastWebhookAt === undefined || options.now - lastWebhookAt > options.quietMs) return WebhookHealthState.Unverified;
  return WebhookHealthState.Healthy;
}
