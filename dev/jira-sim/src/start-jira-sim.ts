// Before restify loads: see allow-restify-on-node24.ts.
import { mountBrowsePages } from './routes/browse-pages';
import '../../../bot/src/http/allow-restify-on-node24';
import restify, { type Server } from 'restify';
import type { AddressInfo } from 'node:net';
import { watchConformance, type ConformanceMode, type ConformanceWatch } from './conformance/watch-conformance';
import { checkWebhookJql } from './events/check-webhook-jql';
import { publishChange } from './events/publish-change';
import { authenticate } from './http/authenticate';
import { FaultInjector } from './http/fault-injector';
import { createRouter } from './http/jira-route';
import { meterRequest } from './http/meter-request';
import { RateLimiter, type RateLimitSettings } from './http/rate-limiter';
import { readJsonBody } from './http/read-json-body';
import { WindowCounter } from './http/window-counter';
import type { IssueChange } from './issues/issue-change';
import { createOAuthServer, type OAuthClient, type OAuthServer } from './oauth/create-oauth-server';
import { mountAgileRoutes } from './routes/agile-routes';
import { mountChangelogRoutes } from './routes/changelog-routes';
import { mountCommentRoutes } from './routes/comment-routes';
import { mountFilterRoutes } from './routes/filter-routes';
import { mountIssueRoutes } from './routes/issue-routes';
import { mountProjectRoutes } from './routes/project-routes';
import { mountRemoteLinkRoutes } from './routes/remote-link-routes';
import { mountSearchRoutes } from './routes/search-routes';
import { mountSimControlRoutes } from './routes/sim-control-routes';
import { mountSiteInfoRoutes } from './routes/site-info-routes';
import { mountUserRoutes } from './routes/user-routes';
import { mountWatcherRoutes } from './routes/watcher-routes';
import { DEFAULT_REALISM, mergeRealism, REALISTIC, type Realism, type RealismInput } from './realism/realism';
import { SearchIndex } from './realism/search-index';
import { createSimClock, type SimClock } from './sim-clock';
import { emptySite, seedDemo, type SiteIdentity } from './site/seed-demo';
import { SiteState } from './site/site-state';
import { createWebhookHub, type RetryPolicy, type WebhookHub } from './webhooks/create-webhook-hub';

export type SeedName = 'demo' | 'empty';

export type RealismChange = RealismInput & { preset?: 'realistic' | 'default' };

export interface JiraSimOptions {
  /** 0 (default) picks a free port. The host is always 127.0.0.1. */
  port?: number;
  /** Base URL used in `self` links and by OAuth; defaults to the listening URL. */
  publicUrl?: string;
  seed?: SeedName;
  cloudId?: string;
  siteName?: string;
  rateLimit?: Partial<RateLimitSettings>;
  /** Base time source; /_sim/clock moves time relative to it. */
  now?: () => number;
  /** OAuth apps registered with the authorization server. */
  oauthClients?: OAuthClient[];
  accessTokenTtlSeconds?: number;
  webhookRetry?: Partial<RetryPolicy>;
  /**
   * Real-Jira behaviours (src/realism/realism.ts): 'realistic' turns every switch on and meters only
   * OAuth traffic by the points quota; an object picks switches. Default: all off.
   */
  realism?: 'realistic' | 'default' | RealismInput;
  /**
   * Checks every Jira API exchange against Jira's OpenAPI specs (src/conformance/check-conformance.ts,
   * with its errata). 'strict' makes close() fail listing the violations; 'record' only lists them.
   * Default: JIRA_SIM_CONFORMANCE, else 'strict' in a test run (so every test that starts a simulator
   * checks its client's traffic) and 'off' elsewhere (npm start, benchmarks).
   */
  conformance?: ConformanceMode;
}

export interface JiraSim {
  /** The site URL, e.g. http://127.0.0.1:3990 (REST at /rest/api/3, Basic auth). */
  url: string;
  cloudId: string;
  /** The API gateway base for OAuth bearer calls: `${url}/ex/jira/${cloudId}`. */
  gatewayUrl: string;
  state: SiteState;
  clock: SimClock;
  rateLimit: RateLimiter;
  faults: FaultInjector;
  oauth: OAuthServer;
  webhooks: WebhookHub;
  /** The Jira API routes the core serves (restify path syntax), for coverage checks. */
  routes: Array<{ method: string; path: string }>;
  /** Every change made through the API since the last reset, oldest first. */
  changes: IssueChange[];
  reset(seed?: SeedName): void;
  /** The realism switches in force; POST /_sim/realism does the same as setRealism. */
  realism(): Realism;
  /** `preset` first ('realistic' also meters only OAuth by the quota, 'default' all traffic), then each switch given. */
  setRealism(change: RealismChange): Realism;
  /** What the spec check (option `conformance`) found so far. */
  conformance: ConformanceWatch;
  /** `Basic ...` for a seeded user, by email. */
  basicAuth(email: string): string;
  close(): Promise<void>;
}

export const DEFAULT_CLOUD_ID = '4c1e2b7a-51d3-4f0e-9a6b-5e1d2c3b4a00';
const HOST = '127.0.0.1';

function seedSite(seed: SeedName, identity: SiteIdentity) {
  return seed === 'empty' ? emptySite(identity) : seedDemo(identity);
}

/** JIRA_SIM_CONFORMANCE when set; else strict inside a test run (mocha's globals are there), off elsewhere (benchmarks). */
function defaultConformance(): ConformanceMode {
  const mode = process.env.JIRA_SIM_CONFORMANCE?.trim();
  if (mode === 'off' || mode === 'record' || mode === 'strict') return mode;
  const test = globalThis as { describe?: unknown; it?: unknown };
  return typeof test.describe === 'function' && typeof test.it === 'function' ? 'strict' : 'off';
}

function listen(server: Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.removeListener('error', reject);
      resolve(server.address());
    });
  });
}

/** Starts a stateful Jira Cloud simulator on 127.0.0.1. */
export async function startJiraSim(options: JiraSimOptions = {}): Promise<JiraSim> {
  const clock = createSimClock(options.now);
  const cloudId = options.cloudId ?? DEFAULT_CLOUD_ID;
  const server = restify.createServer({ name: 'jira-sim', handleUncaughtExceptions: false });
  // Keep idle connections well past clients' own keep-alive (undici: 4 s), so a client never reuses a
  // socket the simulator is closing (ECONNRESET) when a slow step, such as the spec check compiling a
  // schema, delays timers; close() still ends idle connections at once.
  server.server.keepAliveTimeout = 30_000;
  const address = await listen(server, options.port ?? 0);
  const url = (options.publicUrl ?? `http://${HOST}:${address.port}`).replace(/\/$/, '');
  const identity: SiteIdentity = { cloudId, name: options.siteName ?? 'jira-sim', url };
  let seed = options.seed ?? 'demo';
  const state = new SiteState(seedSite(seed, identity), clock.now);

  const realistic = options.realism === 'realistic';
  // Jira's points quota meters apps only; API-token traffic is governed by the burst limit alone.
  const limiter = new RateLimiter({ ...(realistic ? { appliesTo: 'oauth' as const } : {}), ...options.rateLimit }, clock.now);
  state.realism =
    options.realism === undefined || options.realism === 'default' ? DEFAULT_REALISM : realistic ? REALISTIC : mergeRealism(DEFAULT_REALISM, options.realism as RealismInput);
  const burst = new WindowCounter(clock.now);
  const issueWrites = new WindowCounter(clock.now);
  const faults = new FaultInjector();
  const oauth = createOAuthServer({
    site: { cloudId, name: identity.name, url },
    users: () => state.site.users.map((u) => ({ accountId: u.accountId, displayName: u.displayName, emailAddress: u.email })),
    now: clock.now,
    clients: options.oauthClients,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  });
  const webhooks = createWebhookHub({
    now: clock.now,
    retry: options.webhookRetry,
    clientSecretOf: (clientId) => oauth.clientSecretOf(clientId),
    issuer: url,
    checkJql: checkWebhookJql,
    isAdmin: (accountId) => state.can(accountId, null, 'ADMINISTER'),
    delivers: (clientId, accountId) => {
      if (!state.realism.privateAppOwnerOnly) return true;
      const owner = state.realism.appOwners[clientId] ?? state.site.users.find((u) => u.siteAdmin)?.accountId;
      return accountId === owner;
    },
  });
  const changes: IssueChange[] = [];
  const publish = publishChange(state, webhooks);
  const searchIndex = new SearchIndex(state);
  const emit = (change: IssueChange) => {
    changes.push(change);
    searchIndex.record(change);
    publish(change);
  };

  const conformance = watchConformance(server, options.conformance ?? defaultConformance());
  server.pre(authenticate({ state, cloudId, tokens: oauth }));
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(readJsonBody);
  server.use(meterRequest({ limiter, faults, realism: () => state.realism, burst, issueWrites, state }));
  server.on('restifyError', (req, res, err, callback) => {
    // Answer framework errors (unknown route, bad method, handler crash) in Jira's body shape.
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    (err as { toJSON?: () => unknown }).toJSON = () => ({ errorMessages: [status === 404 ? 'Not found.' : err.message], errors: {} });
    return callback();
  });

  const router = createRouter(server, limiter);
  const deps = { router, state, emit, searchIndex };
  mountSiteInfoRoutes(deps);
  mountProjectRoutes(deps);
  mountIssueRoutes(deps);
  mountCommentRoutes(deps);
  mountChangelogRoutes(deps);
  mountWatcherRoutes(deps);
  mountRemoteLinkRoutes(deps);
  mountSearchRoutes(deps);
  mountFilterRoutes(deps);
  mountUserRoutes(deps);
  mountAgileRoutes(deps);
  mountBrowsePages(server, state);
  oauth.mount(server);
  webhooks.mount(server);

  const reset = (next: SeedName = seed) => {
    seed = next;
    state.replace(seedSite(seed, identity));
    changes.length = 0;
    searchIndex.reset();
    limiter.resetWindow();
    burst.clear();
    issueWrites.clear();
    faults.clear();
  };
  const realismControl = {
    get: () => state.realism,
    set: (input: RealismChange) => {
      if (input.preset === 'realistic' || input.preset === 'default') {
        state.realism = input.preset === 'realistic' ? REALISTIC : DEFAULT_REALISM;
        limiter.configure({ appliesTo: input.preset === 'realistic' ? 'oauth' : 'all' });
      }
      const { preset: _preset, ...switches } = input;
      state.realism = mergeRealism(state.realism, switches);
      return state.realism;
    },
  };
  mountSimControlRoutes(server, {
    state,
    clock,
    limiter,
    faults,
    reset,
    realism: realismControl,
    deliveries: () => webhooks.deliveries(),
    idle: (timeoutMs) => webhooks.idle(timeoutMs),
  });

  return {
    url,
    cloudId,
    gatewayUrl: `${url}/ex/jira/${cloudId}`,
    state,
    clock,
    rateLimit: limiter,
    faults,
    oauth,
    webhooks,
    routes: router.registered,
    changes,
    reset,
    realism: realismControl.get,
    setRealism: realismControl.set,
    conformance,
    basicAuth(email: string) {
      const user = state.userByEmail(email);
      if (!user) throw new Error(`No seeded user with email ${email}`);
      return `Basic ${Buffer.from(`${user.email}:${user.apiToken}`).toString('base64')}`;
    },
    async close() {
      await webhooks.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      conformance.assertClean();
    },
  };
}
