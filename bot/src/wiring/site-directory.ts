import type { ConnectionOwner } from '../connections/connection';
import type { ConnectionServices } from '../connections/create-connection-services';
import type { JiraClient } from '../jira/create-jira-client';
import type { WebhookSite } from '../http/webhook-routes';
import type { Subscription } from '../alerts/subscription';
import type { WebhookSecrets } from '../alerts/webhook-secrets';
import { sameSite, siteBase, siteKey } from '../jira/site-url';

/** Our id for a site in webhook URLs: its host (`acme.atlassian.net`), readable for the admin who registers it. */
export function siteIdOf(siteUrl: string): string {
  return new URL(siteUrl).host.toLowerCase();
}

export interface SiteDirectory {
  /** Every site alerts can come from: those of stored subscriptions, of connections, and the configured one. */
  sites(): Promise<string[]>;
  /** Sites with at least one active subscription (what the poller and the registrar care about). */
  subscribedSites(): Promise<string[]>;
  /**
   * The webhook routes' lookup: a site id -> the site, the secrets its admin webhook may be
   * signed with (its own; JIRA_WEBHOOK_SECRET only for JIRA_BASE_URL's site) and its cloud ids.
   */
  webhookSite(siteId: string): Promise<WebhookSite | undefined>;
  /**
   * The Jira client for background work on a site. It acts as a subscription owner of that site
   * (the admin who last saved a subscription there, who was checked to be a Jira or project
   * administrator), at 'background' priority so users' own requests go first. Undefined when
   * no owner has a working connection to the site.
   */
  backgroundJira(site: string, options?: BackgroundJiraOptions): Promise<{ jira: JiraClient; kind: 'oauth' | 'apiToken'; accountId?: string } | undefined>;
  /** Forgets cached lookups (a subscription or connection changed). */
  refresh(): void;
}

export interface BackgroundJiraOptions {
  /** Only an OAuth connection will do (dynamic webhooks). */
  oauthOnly?: boolean;
  /** Jira accounts to pass over: a private app's webhooks registered through them were never delivered. */
  avoid?: readonly string[];
}

export interface SiteDirectoryDeps {
  subscriptions: { all(): Promise<Subscription[]> };
  connections: Pick<ConnectionServices, 'repository' | 'jiraFor'>;
  /** JIRA_BASE_URL, when set. */
  configuredSite?: string;
  /** JIRA_WEBHOOK_SECRET, when set: accepted for `configuredSite` only, as before per-site secrets. */
  adminSecret?: string;
  /** Per-site admin webhook secrets; only read here, never created. */
  secrets?: Pick<WebhookSecrets, 'existing'>;
  /** Atlassian's API gateway (config.jira.apiUrl): OAuth payloads may link `${apiUrl}/ex/jira/<cloudId>`. */
  apiUrl?: string;
  /**
   * Further users whose connection may act for a site when no subscription owner can: those with
   * a grooming panel open on it (they see the issues their panel shows, and nothing more).
   */
  extraOwners?(site: string): ConnectionOwner[];
  /** How long a listing is reused; default 30 s. Webhook intake asks for every callback. */
  ttlMs?: number;
  now?: () => number;
}

export function siteDirectory(deps: SiteDirectoryDeps): SiteDirectory {
  const ttlMs = deps.ttlMs ?? 30_000;
  const now = deps.now ?? Date.now;
  let cached: { at: number; value: Promise<Snapshot> } | undefined;

  interface Snapshot {
    subscriptions: Subscription[];
    sites: string[];
    /** Site id -> site URL, parsed once per listing: webhook intake asks for every callback. */
    byId: Map<string, string>;
    /** Site key -> cloud ids of OAuth connections to it. */
    cloudIds: Map<string, string[]>;
  }

  async function load(): Promise<Snapshot> {
    const [subscriptions, connections] = await Promise.all([deps.subscriptions.all(), deps.connections.repository.list()]);
    const sites = new Map<string, string>();
    for (const url of [...(deps.configuredSite ? [deps.configuredSite] : []), ...subscriptions.map((s) => s.site), ...connections.map((c) => c.siteUrl)]) {
      const key = siteKey(url);
      if (!sites.has(key)) sites.set(key, siteBase(url));
    }
    const byId = new Map<string, string>();
    for (const url of sites.values()) {
      if (!URL.canParse(url)) continue;
      const id = siteIdOf(url);
      if (!byId.has(id)) byId.set(id, url);
    }
    const cloudIds = new Map<string, string[]>();
    for (const connection of connections) {
      if (!connection.cloudId) continue;
      const ids = cloudIds.get(siteKey(connection.siteUrl)) ?? [];
      if (!ids.includes(connection.cloudId)) cloudIds.set(siteKey(connection.siteUrl), [...ids, connection.cloudId]);
    }
    return { subscriptions, sites: [...sites.values()], byId, cloudIds };
  }

  const snapshot = (fresh = false): Promise<Snapshot> => {
    if (fresh || !cached || now() - cached.at > ttlMs) {
      const value = load();
      cached = { at: now(), value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };

  let missRefreshAt = 0;
  return {
    sites: async () => (await snapshot()).sites,
    async subscribedSites() {
      const { subscriptions } = await snapshot();
      return [...new Set(subscriptions.filter((s) => !s.muted).map((s) => s.site))];
    },
    async webhookSite(siteId) {
      const wanted = siteId.toLowerCase();
      let listing = await snapshot();
      let url = listing.byId.get(wanted);
      // A site added since the last listing: look again, but at most once a second so unknown ids cannot make us list per request.
      if (!url && now() - missRefreshAt > 1_000) {
        missRefreshAt = now();
        listing = await snapshot(true);
        url = listing.byId.get(wanted);
      }
      if (!url) return undefined;
      const adminSecrets: string[] = [];
      const own = await deps.secrets?.existing(url);
      if (own) adminSecrets.push(own);
      // The one shared secret of older setups signs only the configured site's webhooks.
      if (deps.adminSecret && deps.configuredSite && sameSite(url, deps.configuredSite)) adminSecrets.push(deps.adminSecret);
      const cloudIds = listing.cloudIds.get(siteKey(url)) ?? [];
      const apiUrl = deps.apiUrl;
      const aliases = apiUrl ? cloudIds.map((id) => `${siteBase(apiUrl)}/ex/jira/${id}`) : [];
      return { url, adminSecrets, cloudIds, aliases };
    },
    async backgroundJira(site, options = {}) {
      const { subscriptions } = await snapshot();
      const owners = new Map<string, ConnectionOwner>();
      for (const s of [...subscriptions].filter((s) => sameSite(s.site, site)).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))) {
        owners.set(`${s.target.tenantId}|${s.changedBy}`, { tenantId: s.target.tenantId, userId: s.changedBy });
      }
      for (const owner of deps.extraOwners?.(site) ?? []) owners.set(`${owner.tenantId}|${owner.userId}`, owner);
      for (const owner of owners.values()) {
        try {
          const { connection, jira } = await deps.connections.jiraFor(owner, { priority: 'background' });
          if (connection.status !== 'active' || !sameSite(connection.siteUrl, site)) continue;
          if ((options.oauthOnly && connection.kind !== 'oauth') || options.avoid?.includes(connection.accountId)) continue;
          return { jira, kind: connection.kind, accountId: connection.accountId };
        } catch {
          // Not connected any more, or needs to reconnect: try the next owner.
        }
      }
      return undefined;
    },
    refresh() {
      cached = undefined;
    },
  };
}
