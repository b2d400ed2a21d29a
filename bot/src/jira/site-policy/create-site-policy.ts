import dns, { type LookupAddress, type LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './is-public-address';
import { SitePolicyError, SitePolicyErrorCode } from './site-policy-error';

export type DnsLookupAll = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export interface SitePolicyOptions {
  /**
   * Exact origins the operator named (JIRA_ALLOWED_SITES, JIRA_BASE_URL, ATLASSIAN_AUTH_URL and
   * ATLASSIAN_API_URL): allowed whatever they resolve to; plain http ones only on a loopback host.
   * `http://127.0.0.1:*` (a loopback host only) allows any port of it, for development and tests.
   */
  listedOrigins: readonly string[];
  /** DNS with `all: true`; tests answer for names that do not exist. */
  lookup?: DnsLookupAll;
}

export interface SitePolicy {
  /** The parsed URL when it may be called; throws SitePolicyError NotAllowed otherwise. */
  check(url: string | URL): URL;
  allows(url: string | URL): boolean;
  /**
   * The agent for the URL's origin. Each new connection resolves the host, refuses it when any
   * address is not public (unless the origin is listed), and connects to the addresses it just
   * checked, so a second DNS answer (rebinding) never reaches the socket.
   */
  agentFor(url: URL): http.Agent;
}

/** Jira Cloud sites and the Atlassian endpoints every Cloud app talks to, https on the default port only. */
const CLOUD_SITE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:atlassian\.net|jira\.com)$/;
const ATLASSIAN_ENDPOINTS = new Set(['api.atlassian.com', 'auth.atlassian.com']);
const LOOPBACK_ANY_PORT = /^(https?):\/\/(localhost|127\.0\.0\.1|\[::1\]):\*$/i;
const MAX_AGENTS = 256;

/**
 * The one rule for what the server may call: Jira Cloud sites, Atlassian's auth and API
 * gateway, and origins the operator listed. Everything the server fetches from Jira or
 * Atlassian goes through `check` and `agentFor` (jira.js through createJiraClient, the API-token
 * check, OAuth) so that no user-typed address, DNS answer or redirect reaches an internal host.
 */
export function createSitePolicy(options: SitePolicyOptions): SitePolicy {
  const exact = new Set<string>();
  const anyPort = new Set<string>();
  for (const entry of options.listedOrigins) {
    const wildcard = LOOPBACK_ANY_PORT.exec(entry.trim());
    if (wildcard) anyPort.add(`${wildcard[1].toLowerCase()}://${wildcard[2].toLowerCase()}`);
    else if (URL.canParse(entry)) exact.add(new URL(entry).origin);
  }
  const resolve = options.lookup ?? dns.lookup;
  const agents = new Map<string, http.Agent>();

  const isListed = (url: URL) => exact.has(url.origin) || anyPort.has(`${url.protocol}//${url.hostname}`);

  const check = (input: string | URL): URL => {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new SitePolicyError(SitePolicyErrorCode.NotAllowed, 'an invalid address');
    }
    if (url.username || url.password) throw new SitePolicyError(SitePolicyErrorCode.NotAllowed, url.host);
    // Plain http would carry tokens in clear: only to this machine (the simulator), and only when listed.
    if (isListed(url) && (url.protocol === 'https:' || isLoopbackHost(url.hostname))) return url;
    const cloud = url.protocol === 'https:' && url.port === '' && isIP(url.hostname) === 0 && (CLOUD_SITE.test(url.hostname) || ATLASSIAN_ENDPOINTS.has(url.hostname));
    if (!cloud) throw new SitePolicyError(SitePolicyErrorCode.NotAllowed, url.host || url.protocol);
    return url;
  };

  return {
    check,
    allows(url) {
      try {
        check(url);
        return true;
      } catch {
        return false;
      }
    },
    agentFor(url) {
      const checked = check(url);
      let agent = agents.get(checked.origin);
      if (agent) return agent;
      const lookup = checkedLookup(resolve, checked.host, isListed(checked));
      // The same keep-alive settings as Node's global agent, which these calls used before.
      const agentOptions = { keepAlive: true, scheduling: 'lifo' as const, timeout: 5000, lookup };
      agent = checked.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
      if (agents.size >= MAX_AGENTS) {
        const [oldest, old] = agents.entries().next().value!;
        agents.delete(oldest);
        old.destroy();
      }
      agents.set(checked.origin, agent);
      return agent;
    },
  };
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function checkedLookup(resolve: DnsLookupAll, site: string, listed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const answer = callback as unknown as (error: Error | null, address?: string | LookupAddress[], family?: number) => void;
    resolve(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      if (error) return answer(error);
      // Any non-public answer refuses the host: happy eyeballs would try every address given.
      if (!listed && (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address)))) {
        return answer(new SitePolicyError(SitePolicyErrorCode.AddressRefused, site));
      }
      if (addresses.length === 0) return answer(Object.assign(new Error(`no address for ${site}`), { code: 'ENOTFOUND' }));
      if (options.all) return answer(null, addresses);
      return answer(null, addresses[0].address, addresses[0].family);
    });
  };
}
