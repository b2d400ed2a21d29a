import path from 'node:path';
import { z } from 'zod';
import { createSitePolicy } from './jira/site-policy/create-site-policy';

/**
 * Typed settings from the environment. `readConfig` is a pure mapping (env in, config out) so
 * tests call it with a plain object; boot fails with one line per bad variable, naming it and
 * what is expected. README.md documents every variable in a table: keep the two in step.
 */
const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), { message: `expected ${what}` })
    .transform((v) => v.replace(/\/+$/, ''));

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/** A comma-separated list, trimmed, empty entries dropped; `normalize` runs on each entry before `valid` checks them all. */
const commaList = (valid: (entries: string[]) => boolean, message: string, normalize: (entry: string) => string = (e) => e) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((e) => normalize(e.trim()))
        .filter(Boolean),
    )
    .refine(valid, { message });

const port = z.coerce
  .number({ message: 'expected a TCP port number (0-65535, 0 picks a free port)' })
  .int('expected a TCP port number (0-65535, 0 picks a free port)')
  .min(0, 'expected a TCP port number (0-65535, 0 picks a free port)')
  .max(65535, 'expected a TCP port number (0-65535, 0 picks a free port)');

const base64Key = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, {
    message: 'expected 32 random bytes in base64 (openssl rand -base64 32)',
  });

const schema = z.object({
  PORT: optional(port).default(3978),
  // No default here: it depends on BOT_ID (see readConfig).
  HOST: optional(z.string().trim()),
  PUBLIC_URL: optional(url('the public https URL of this service, e.g. https://jira-bot.example.com')),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    }),
  ).default('info'),

  BOT_ID: optional(
    z
      .string()
      .trim()
      .regex(/^[0-9a-f-]{36}$/i, "expected the bot's Microsoft App ID (a GUID)"),
  ),
  BOT_PASSWORD: optional(z.string()),
  // Tests only: where the bot reads the Bot Connector's signing keys. Loopback only, so no deployment can
  // be pointed at an issuer that is not Microsoft's; production leaves it unset.
  BOT_OPENID_METADATA_URL: optional(
    url('a loopback URL of a local Bot Connector issuer, e.g. http://127.0.0.1:3981/botframework/v1/.well-known/openidconfiguration').refine(
      (v) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(v).hostname),
      { message: 'test-only: expected a loopback URL (127.0.0.1, localhost or [::1]) of a local Bot Connector issuer' },
    ),
  ),
  // Tests only: the Entra authority the bot gets its Bot Connector token from (production: Microsoft's
  // login.microsoftonline.com/botframework.com, fixed in botbuilder). Loopback only, like BOT_OPENID_METADATA_URL;
  // https, because MSAL accepts no other authority.
  BOT_LOGIN_URL: optional(
    url('a loopback https URL of a local Entra authority, e.g. https://127.0.0.1:3981/botframework.com').refine(
      (v) => v.startsWith('https://') && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(v).hostname),
      { message: 'test-only: expected a loopback https URL (127.0.0.1, localhost or [::1]) of a local Entra authority' },
    ),
  ),
  BOT_TENANT_ID: optional(
    z
      .string()
      .trim()
      .regex(/^[0-9a-f-]{36}$/i, 'expected a Microsoft Entra tenant ID (a GUID)'),
  ),
  GRAPH_BASE_URL: optional(url('the Microsoft Graph v1.0 base URL, e.g. https://graph.microsoft.com/v1.0')).default('https://graph.microsoft.com/v1.0'),
  BOT_TYPE: optional(
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      message: 'expected MultiTenant, SingleTenant or UserAssignedMSI',
    }),
  ).default('MultiTenant'),

  STORE: optional(z.enum(['sqlite', 'azure'], { message: 'expected sqlite or azure' })).default('sqlite'),
  DATA_DIR: optional(z.string()).default('data'),
  SQLITE_PATH: optional(z.string()),
  AZURE_STORAGE_ACCOUNT_URL: optional(url('an Azure Storage account URL, e.g. https://acct.table.core.windows.net')),
  AZURE_STORAGE_CONNECTION_STRING: optional(z.string()),
  APPLICATIONINSIGHTS_CONNECTION_STRING: optional(
    z
      .string()
      .trim()
      .refine((v) => /(^|;)\s*InstrumentationKey=[^;]+/i.test(v), { message: 'expected an Application Insights connection string (InstrumentationKey=...;IngestionEndpoint=...)' }),
  ),
  REDIS_URL: optional(
    z
      .string()
      .trim()
      .refine((v) => /^rediss?:\/\/[^\s]+$/i.test(v) && URL.canParse(v) && new URL(v).hostname !== '', {
        message: 'expected a redis:// or rediss:// URL, e.g. rediss://:<key>@my-cache.redis.cache.windows.net:6380',
      }),
  ),

  JIRA_BASE_URL: optional(url('a Jira site URL, e.g. https://your-site.atlassian.net')),
  JIRA_LINK_DOMAINS: optional(
    commaList(
      (hosts) => hosts.every((h) => /^[a-z0-9.-]+(:\d+)?$/.test(h)),
      'expected comma-separated host names, e.g. jira.example.com,issues.example.org',
      (h) => h.toLowerCase(),
    ),
  ),
  JIRA_ALLOWED_SITES: optional(
    commaList(
      (sites) => sites.every(isAllowedSiteEntry),
      'expected comma-separated origins (scheme, host, optional port, no path), e.g. https://jira.example.com,http://127.0.0.1:3990; plain http and `:*` as the port only for localhost, 127.0.0.1 or [::1]',
    ),
  ),
  ATLASSIAN_CLIENT_ID: optional(z.string().trim()),
  ATLASSIAN_CLIENT_SECRET: optional(z.string()),
  ATLASSIAN_AUTH_URL: optional(url('the Atlassian authorization server URL')).default('https://auth.atlassian.com'),
  ATLASSIAN_API_URL: optional(url('the Atlassian API gateway URL')).default('https://api.atlassian.com'),
  TOKEN_ENCRYPTION_KEY: optional(base64Key),
  KEY_VAULT_URL: optional(url('an Azure Key Vault URL, e.g. https://my-vault.vault.azure.net')),

  JIRA_WEBHOOK_SECRET: optional(z.string().refine((v) => v.trim().length >= 16, { message: 'expected at least 16 characters (openssl rand -hex 32)' })),
  ALERT_POLL_INTERVAL_SECONDS: optional(
    z.coerce
      .number({ message: 'expected whole seconds: 0 (off) or 10 to 86400' })
      .int('expected whole seconds: 0 (off) or 10 to 86400')
      .refine((v) => v === 0 || (v >= 10 && v <= 86_400), { message: 'expected whole seconds: 0 (off) or 10 to 86400' }),
  ).default(120),

  TAB_SSO_AUDIENCE: optional(
    commaList((audiences) => audiences.length > 0 && audiences.every((a) => /^[^\s,]+$/.test(a)), 'expected comma-separated audiences, e.g. api://jira-bot.example.com/<BOT_ID>'),
  ),
  TAB_SSO_JWKS_URL: optional(url('the https URL of the SSO signing keys (a JWKS)')).default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  TAB_SSO_ISSUER: optional(
    z
      .string()
      .trim()
      .refine((v) => /^https?:\/\/[^\s/]+\/\S*$/i.test(v) && URL.canParse(v.replace(/\{tenantid\}/gi, 'tenant')), {
        message: 'expected the token issuer URL, {tenantid} standing for the tenant, e.g. https://login.microsoftonline.com/{tenantid}/v2.0',
      }),
  ).default('https://login.microsoftonline.com/{tenantid}/v2.0'),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Local mode: no BOT_ID, so inbound activities are not authenticated (development only). */
  localMode: boolean;
  bot: {
    id?: string;
    password?: string;
    tenantId?: string;
    type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    /** Tests only (loopback): the Bot Connector's OpenID metadata, played by dev/entra-emu. */
    openIdMetadataUrl?: string;
    /** Tests only (loopback https): the Entra authority for the bot's outbound token, played by dev/entra-emu. */
    loginUrl?: string;
  };
  /** Microsoft Graph, asked who owns a team or chat (app-only token when BOT_ID is set, none locally). */
  graph: { baseUrl: string };
  store: { kind: 'sqlite'; path: string } | { kind: 'azure'; accountUrl?: string; connectionString?: string };
  /**
   * Cluster mode (STORE=azure with REDIS_URL): panel events, Teams send windows and Jira budgets are
   * shared through Redis so several instances act as one. Absent: one instance, all of it in process.
   */
  cluster?: { redisUrl: string };
  /** Traces and metrics to Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING); absent: pino logs only. */
  telemetry?: { connectionString: string };
  dataDir: string;
  jira: {
    baseUrl?: string;
    /** Hosts whose links unfurl besides *.atlassian.net: JIRA_LINK_DOMAINS and JIRA_BASE_URL's host. */
    linkHosts: string[];
    /**
     * Origins the site policy allows besides Jira Cloud (https://*.atlassian.net, *.jira.com) and
     * Atlassian's endpoints, whatever addresses they resolve to: JIRA_ALLOWED_SITES plus the
     * origins of JIRA_BASE_URL and of ATLASSIAN_AUTH_URL / ATLASSIAN_API_URL when set.
     */
    allowedSites: string[];
    oauth?: { clientId: string; clientSecret: string };
    authUrl: string;
    apiUrl: string;
  };
  secrets: {
    tokenEncryptionKey?: Buffer;
    keyVaultUrl?: string;
  };
  alerts: {
    /** Shared secret of admin-registered Jira webhooks (X-Hub-Signature); none refuses them. */
    webhookSecret?: string;
    /** How often sites without recent webhooks are polled; 0 turns the poller off. */
    pollIntervalMs: number;
    /** Register Jira dynamic webhooks through OAuth connections: needs OAuth and a public https PUBLIC_URL Jira can call. */
    dynamicWebhooks: boolean;
  };
  tab: {
    /** How the tab API verifies Teams SSO tokens; absent (no audience known) turns the tab API off with 503. */
    sso?: {
      /** Accepted `aud` values: the tab app's Application ID URI(s) and the bot's app id. */
      audiences: string[];
      jwksUrl: string;
      /** `{tenantid}` stands for the token's own `tid`. */
      issuerTemplate: string;
      /** A single-tenant bot's tenant: the only one whose users may use the tab. Absent: any tenant. */
      tenants?: string[];
    };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export function readConfig(env: Env = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message} (got ${describe(env[String(issue.path[0])])})`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.BOT_ID && e.BOT_TYPE !== 'UserAssignedMSI' && !e.BOT_PASSWORD) {
    problems.push(`BOT_PASSWORD: required when BOT_ID is set and BOT_TYPE is ${e.BOT_TYPE} (the bot's client secret)`);
  }
  if (e.BOT_ID && e.BOT_TYPE !== 'MultiTenant' && !e.BOT_TENANT_ID) {
    problems.push(`BOT_TENANT_ID: required when BOT_TYPE is ${e.BOT_TYPE}`);
  }
  if (e.BOT_OPENID_METADATA_URL && !e.BOT_ID) {
    problems.push('BOT_OPENID_METADATA_URL: only with BOT_ID (without it, activities are not authenticated at all)');
  }
  if (e.BOT_LOGIN_URL && (!e.BOT_ID || e.BOT_TYPE !== 'MultiTenant')) {
    problems.push('BOT_LOGIN_URL: only with BOT_ID and BOT_TYPE MultiTenant (the client secret grant it stands in for)');
  }
  if (e.STORE === 'azure' && !e.AZURE_STORAGE_ACCOUNT_URL && !e.AZURE_STORAGE_CONNECTION_STRING) {
    problems.push('AZURE_STORAGE_ACCOUNT_URL: required when STORE is azure (or set AZURE_STORAGE_CONNECTION_STRING)');
  }
  if (e.REDIS_URL && e.STORE !== 'azure') {
    // Several instances on one SQLite file would each hold their own data: Redis alone shares nothing durable.
    problems.push('REDIS_URL: only with STORE=azure (cluster mode shares state through Azure Tables and Redis; SQLite is one instance)');
  }
  if (Boolean(e.ATLASSIAN_CLIENT_ID) !== Boolean(e.ATLASSIAN_CLIENT_SECRET)) {
    problems.push(
      e.ATLASSIAN_CLIENT_ID
        ? 'ATLASSIAN_CLIENT_SECRET: required when ATLASSIAN_CLIENT_ID is set (from developer.atlassian.com, Settings of your app)'
        : 'ATLASSIAN_CLIENT_ID: required when ATLASSIAN_CLIENT_SECRET is set',
    );
  }
  const allowedSites = allowedSitesOf(e, env);
  const linkPolicy = createSitePolicy({ listedOrigins: allowedSites });
  for (const host of e.JIRA_LINK_DOMAINS ?? []) {
    // Links only unfurl from hosts Jira calls may go to: a link domain that is no allowed site is a mistake.
    if (!linkPolicy.allows(`https://${host}`) && !linkPolicy.allows(`http://${host}`)) {
      problems.push(`JIRA_LINK_DOMAINS: ${host} is not an allowed Jira site (add its origin, e.g. https://${host}, to JIRA_ALLOWED_SITES)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: e.PORT,
    // Local mode has authentication off, so by default only this machine may reach it; with BOT_ID
    // set every request is authenticated and App Service or a container needs every interface.
    host: e.HOST ?? (e.BOT_ID ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    localMode: !e.BOT_ID,
    bot: {
      id: e.BOT_ID,
      password: e.BOT_PASSWORD,
      tenantId: e.BOT_TENANT_ID,
      type: e.BOT_TYPE,
      ...(e.BOT_OPENID_METADATA_URL ? { openIdMetadataUrl: e.BOT_OPENID_METADATA_URL } : {}),
      ...(e.BOT_LOGIN_URL ? { loginUrl: e.BOT_LOGIN_URL } : {}),
    },
    graph: { baseUrl: e.GRAPH_BASE_URL },
    store:
      e.STORE === 'sqlite'
        ? { kind: 'sqlite', path: e.SQLITE_PATH ?? path.join(e.DATA_DIR, 'jira-teams.db') }
        : { kind: 'azure', accountUrl: e.AZURE_STORAGE_ACCOUNT_URL, connectionString: e.AZURE_STORAGE_CONNECTION_STRING },
    ...(e.REDIS_URL ? { cluster: { redisUrl: e.REDIS_URL } } : {}),
    ...(e.APPLICATIONINSIGHTS_CONNECTION_STRING ? { telemetry: { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING } } : {}),
    dataDir: e.DATA_DIR,
    jira: {
      baseUrl: e.JIRA_BASE_URL,
      allowedSites,
      linkHosts: [...new Set([...(e.JIRA_BASE_URL ? [new URL(e.JIRA_BASE_URL).host.toLowerCase()] : []), ...(e.JIRA_LINK_DOMAINS ?? [])])],
      oauth: e.ATLASSIAN_CLIENT_ID && e.ATLASSIAN_CLIENT_SECRET ? { clientId: e.ATLASSIAN_CLIENT_ID, clientSecret: e.ATLASSIAN_CLIENT_SECRET } : undefined,
      authUrl: e.ATLASSIAN_AUTH_URL,
      apiUrl: e.ATLASSIAN_API_URL,
    },
    secrets: {
      tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY ? Buffer.from(e.TOKEN_ENCRYPTION_KEY, 'base64') : undefined,
      keyVaultUrl: e.KEY_VAULT_URL,
    },
    alerts: {
      webhookSecret: e.JIRA_WEBHOOK_SECRET,
      pollIntervalMs: e.ALERT_POLL_INTERVAL_SECONDS * 1000,
      dynamicWebhooks: Boolean(e.ATLASSIAN_CLIENT_ID && e.PUBLIC_URL?.toLowerCase().startsWith('https://')),
    },
    tab: { sso: tabSso(e) },
  };
}

/**
 * Teams SSO tokens carry the tab app's Application ID URI (`api://<host>/<app id>`) as audience,
 * or the app id itself for some clients; without a configured audience nothing could be verified.
 */
function tabSso(e: z.infer<typeof schema>): Config['tab']['sso'] {
  const audiences = e.TAB_SSO_AUDIENCE ? [...e.TAB_SSO_AUDIENCE] : e.BOT_ID ? [`api://${new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).host}/${e.BOT_ID}`] : [];
  if (audiences.length === 0) return undefined;
  if (e.BOT_ID && !audiences.includes(e.BOT_ID)) audiences.push(e.BOT_ID);
  const tenants = e.BOT_TYPE !== 'MultiTenant' && e.BOT_TENANT_ID ? [e.BOT_TENANT_ID] : undefined;
  return { audiences, jwksUrl: e.TAB_SSO_JWKS_URL, issuerTemplate: e.TAB_SSO_ISSUER, ...(tenants ? { tenants } : {}) };
}

function isAllowedSiteEntry(entry: string): boolean {
  if (/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]):\*$/i.test(entry)) return true;
  if (!URL.canParse(entry)) return false;
  const url = new URL(entry);
  const scheme = url.protocol === 'https:' || (url.protocol === 'http:' && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname));
  return scheme && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
}

/** The operator names these origins already; the Atlassian defaults stay under the address check. */
function allowedSitesOf(e: z.infer<typeof schema>, env: Env): string[] {
  const configured = [e.JIRA_BASE_URL, env.ATLASSIAN_AUTH_URL?.trim() ? e.ATLASSIAN_AUTH_URL : undefined, env.ATLASSIAN_API_URL?.trim() ? e.ATLASSIAN_API_URL : undefined];
  const origins = configured.filter((u): u is string => Boolean(u)).map((u) => new URL(u).origin);
  const listed = (e.JIRA_ALLOWED_SITES ?? []).map((entry) => (entry.endsWith(':*') ? entry.toLowerCase() : new URL(entry).origin));
  return [...new Set([...listed, ...origins])];
}

/** Shows the shape of a bad value without echoing it: it may be a secret. */
function describe(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return 'nothing';
  return `a value of ${value.length} characters`;
}
