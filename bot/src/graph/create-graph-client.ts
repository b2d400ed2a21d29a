import { backoffDelay } from '../jira/backoff-delay';
import { GraphError, GraphErrorCode } from './graph-error';
import type { GraphTokenSource } from './graph-token-source';

/** One page of a Graph collection. */
interface GraphPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
}

export interface GraphClient {
  /** GET `path` (relative to the base URL) as the app, in `tenantId`. */
  get<T>(tenantId: string, path: string): Promise<T>;
  /** GET a collection, following `@odata.nextLink` up to `maxPages` pages. */
  list<T>(tenantId: string, path: string, options?: { maxPages?: number }): Promise<T[]>;
}

export interface GraphClientOptions {
  baseUrl: string;
  token: GraphTokenSource;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Tries per request, the first included. */
  maxTries?: number;
  /** A 429 asking to wait longer than this fails at once: a person is waiting for the answer. */
  maxRetryAfterMs?: number;
  /** Per attempt. */
  timeoutMs?: number;
}

const RETRYABLE = new Set([500, 502, 503, 504]);
const BACKOFF = { baseMs: 250, capMs: 2_000 };

/**
 * A small app-only Microsoft Graph client for the few reads the service makes (who is in a team or
 * chat, and in what role). The Graph SDK would bring a middleware stack for this; what matters here
 * is bounded: at most `maxTries` attempts, 429 honouring Retry-After only while the wait stays
 * short, 5xx and network failures with jittered exponential backoff, and every failure turned
 * into a coded GraphError so callers can fail closed with a clear message.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const maxTries = options.maxTries ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 5_000;

  async function getUrl<T>(tenantId: string, url: string): Promise<T> {
    const token = await options.token(tenantId);
    let last: GraphError | undefined;
    for (let attempt = 0; attempt < maxTries; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, {
          headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch {
        last = new GraphError(GraphErrorCode.Unavailable, 'Microsoft Graph did not answer.');
        if (attempt + 1 < maxTries) await sleep(backoffDelay(attempt, BACKOFF, random));
        continue;
      }
      if (response.ok) {
        try {
          return (await response.json()) as T;
        } catch {
          throw new GraphError(GraphErrorCode.BadResponse, 'Microsoft Graph answered with something other than JSON.', response.status);
        }
      }
      const graphCode = await errorCodeOf(response);
      const retryAfterMs = retryAfter(response.headers.get('retry-after'));
      if (response.status === 429) {
        last = new GraphError(GraphErrorCode.Throttled, 'Microsoft Graph asked to slow down.', 429, graphCode);
        const wait = retryAfterMs ?? backoffDelay(attempt, BACKOFF, random);
        if (wait > maxRetryAfterMs) throw last;
        if (attempt + 1 < maxTries) await sleep(wait);
        continue;
      }
      if (RETRYABLE.has(response.status)) {
        last = new GraphError(GraphErrorCode.Unavailable, `Microsoft Graph answered ${response.status}.`, response.status, graphCode);
        if (attempt + 1 < maxTries) await sleep(Math.min(retryAfterMs ?? backoffDelay(attempt, BACKOFF, random), maxRetryAfterMs));
        continue;
      }
      throw new GraphError(codeForStatus(response.status), `Microsoft Graph answered ${response.status}${graphCode ? ` (${graphCode})` : ''}.`, response.status, graphCode);
    }
    throw last ?? new GraphError(GraphErrorCode.Unavailable, 'Microsoft Graph did not answer.');
  }

  return {
    get: (tenantId, path) => getUrl(tenantId, `${base}${path}`),
    async list<T>(tenantId: string, path: string, listOptions: { maxPages?: number } = {}) {
      const items: T[] = [];
      let url: string | undefined = `${base}${path}`;
      for (let page = 0; url && page < (listOptions.maxPages ?? 20); page++) {
        const body: GraphPage<T> = await getUrl<GraphPage<T>>(tenantId, url);
        if (!Array.isArray(body.value)) throw new GraphError(GraphErrorCode.BadResponse, 'Microsoft Graph answered a list without `value`.');
        items.push(...body.value);
        url = body['@odata.nextLink'];
        // A next link elsewhere than Graph's own origin would carry our token there.
        if (url && new URL(url).origin !== new URL(base).origin) {
          throw new GraphError(GraphErrorCode.BadResponse, 'Microsoft Graph sent a next link to another host.');
        }
      }
      return items;
    },
  };
}

function codeForStatus(status: number): GraphErrorCode {
  if (status === 401) return GraphErrorCode.Unauthenticated;
  if (status === 403) return GraphErrorCode.Forbidden;
  if (status === 404) return GraphErrorCode.NotFound;
  return GraphErrorCode.BadResponse;
}

/** Graph's `{ error: { code } }`; its message is not kept, as it may quote ids or addresses. */
async function errorCodeOf(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    return typeof body.error?.code === 'string' ? body.error.code : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds or as an HTTP date. */
function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
