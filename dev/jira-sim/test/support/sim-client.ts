/**
 * A small HTTP client for tests: real requests to a running simulator, every Jira API exchange
 * checked against the published spec, and the operations it hit recorded for coverage.
 */
import type { JiraSim } from '../../src/start-jira-sim';
import { assertConforms } from '../../src/conformance/check-conformance';
import { SKIP_CONFORMANCE_HEADER } from '../../src/conformance/watch-conformance';

export interface SimResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text, sent as is (for malformed-input tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Skip the spec check (control endpoints, deliberately undocumented answers). */
  conform?: boolean;
  /** The request body is deliberately off-spec (bad input tests); only the response is checked. */
  invalidRequest?: boolean;
}

/** Operations ("GET /rest/api/3/issue/{issueIdOrKey}") exercised so far in this test run. */
export const coveredOperations = new Set<string>();

export type Credentials = { email: string } | { bearer: string } | { none: true };

export function simClient(sim: JiraSim, credentials: Credentials = { email: 'alice@example.com' }) {
  const authorization = 'email' in credentials ? sim.basicAuth(credentials.email) : 'bearer' in credentials ? `Bearer ${credentials.bearer}` : undefined;
  const base = 'bearer' in credentials ? sim.gatewayUrl : sim.url;
  async function request(method: string, path: string, options: RequestOptions = {}): Promise<SimResponse> {
    // This client checks each exchange itself, honouring `conform` and `invalidRequest`; the simulator need not.
    const headers: Record<string, string> = { accept: 'application/json', [SKIP_CONFORMANCE_HEADER]: '1', ...options.headers };
    if (authorization) headers.authorization = authorization;
    let payload: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    } else if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(base + path, { method, headers, body: payload });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // a non-JSON answer stays text
    }
    if (options.conform !== false && path.startsWith('/rest/')) {
      coveredOperations.add(assertConforms({ method, path, requestBody: options.invalidRequest ? undefined : options.body, status: response.status, responseBody: body }));
    }
    return { status: response.status, headers: response.headers, body };
  }
  return {
    request,
    get: (path: string, options?: RequestOptions) => request('GET', path, options),
    post: (path: string, body?: unknown, options?: RequestOptions) => request('POST', path, { ...options, body }),
    put: (path: string, body?: unknown, options?: RequestOptions) => request('PUT', path, { ...options, body }),
    del: (path: string, options?: RequestOptions) => request('DELETE', path, options),
  };
}

export type SimClient = ReturnType<typeof simClient>;

/** Controls under /_sim (no auth, not part of Jira's API). */
export async function simControl(sim: JiraSim, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}/_sim${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`/_sim${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export function adfText(text: string) {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
