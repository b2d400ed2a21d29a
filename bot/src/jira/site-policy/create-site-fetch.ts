import http from 'node:http';
import https from 'node:https';
import type { SitePolicy } from './create-site-policy';

/** Token and accessible-resources answers are small; a larger body is not Atlassian's. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A fetch for the server's own calls to Atlassian (API-token check, OAuth tokens, accessible
 * resources) that sends only what the site policy allows, over its pinned-address agent, and
 * never follows a redirect: a 3xx comes back as it is for the caller to refuse. Node's global
 * fetch cannot take a custom DNS lookup, so this speaks node:http. Bodies are strings only.
 */
export function createSiteFetch(policy: SitePolicy): typeof fetch {
  const siteFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = policy.check(input instanceof Request ? input.url : input);
    if (init.body != null && typeof init.body !== 'string') throw new TypeError('createSiteFetch sends string bodies only');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const transport = url.protocol === 'https:' ? https : http;

    return new Promise<Response>((resolve, reject) => {
      const request = transport.request(url, { method, headers, agent: policy.agentFor(url), signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) res.destroy(new Error(`answer from ${url.host} larger than ${MAX_BODY_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 502;
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of [value ?? []].flat()) responseHeaders.append(name, one);
          }
          const noBody = method === 'HEAD' || status === 204 || status === 304;
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: responseHeaders }));
        });
      });
      request.on('error', reject);
      request.end(init.body ?? undefined);
    });
  };
  return siteFetch;
}
