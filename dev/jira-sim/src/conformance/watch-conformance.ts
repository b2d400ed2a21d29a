import type { Request, Response, Server } from 'restify';
import { checkConformance } from './check-conformance';
import { checkHeaders } from './check-headers';

/**
 * 'strict': every Jira API exchange is checked against the spec and close() fails on a violation;
 * 'record': checked and listed (sim.conformance.violations()) without failing; 'off': not checked.
 */
export type ConformanceMode = 'off' | 'record' | 'strict';

export interface ConformanceWatch {
  readonly mode: ConformanceMode;
  /** Exchanges checked since the simulator started. */
  checked(): number;
  /** One line per distinct violation ("METHOD /path -> status: error"), oldest first. */
  violations(): string[];
  /** Throws, listing every violation, in 'strict' mode when there was one. */
  assertClean(): void;
}

/** Test clients that check each exchange themselves (or send off-spec input on purpose) mark it with this header. */
export const SKIP_CONFORMANCE_HEADER = 'x-jira-sim-skip-conformance';

/** The wire form of what the route sent: restify keeps the object; JSON round-trip applies toJSON as sending did. */
function sentBody(res: Response): unknown {
  const body = (res as unknown as { _body?: unknown })._body;
  if (body === undefined || body === null || typeof body === 'string' || Buffer.isBuffer(body)) return body === null ? undefined : body;
  return JSON.parse(JSON.stringify(body)) as unknown;
}

/** Checks every exchange on the Jira API paths (/rest/..., also when reached through the OAuth gateway) after it is answered. */
export function watchConformance(server: Server, mode: ConformanceMode): ConformanceWatch {
  let checked = 0;
  const found = new Set<string>();
  if (mode !== 'off') {
    server.on('after', (req: Request, res: Response) => {
      const path = (req.url ?? '').split('?')[0];
      if (!path.startsWith('/rest/') || req.headers[SKIP_CONFORMANCE_HEADER]) return;
      checked += 1;
      const method = req.method ?? 'GET';
      const requestBody = (req as unknown as { body?: unknown }).body;
      const responseBody = sentBody(res);
      const exchange = { method, path, requestBody: typeof requestBody === 'string' ? undefined : requestBody, status: res.statusCode, responseBody };
      const errors = [
        ...checkConformance(exchange).errors,
        ...checkHeaders({ status: res.statusCode, header: (name) => res.getHeader(name), hasBody: responseBody !== undefined }),
      ];
      for (const error of errors) found.add(`${method} ${path} -> ${res.statusCode}: ${error}`);
    });
  }
  return {
    mode,
    checked: () => checked,
    violations: () => [...found],
    assertClean() {
      if (mode !== 'strict' || found.size === 0) return;
      throw new Error(`The Jira simulator saw ${found.size} exchange(s) that depart from Jira's OpenAPI spec:\n  ${[...found].join('\n  ')}`);
    },
  };
}
