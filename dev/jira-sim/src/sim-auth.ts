/**
 * Who a request to the simulator acts as. The core server's auth pre-handler resolves it
 * (Basic email + API token, or an OAuth 2.0 bearer token) and stores it on the request, so
 * every route, including those mounted by the OAuth and webhook modules, reads one shape.
 */
export interface SimAuth {
  kind: 'basic' | 'oauth';
  accountId: string;
  /** OAuth client that holds the grant; set for kind 'oauth' only. */
  clientId?: string;
  /** Granted OAuth scopes; Basic auth acts with the user's full rights. */
  scopes?: string[];
}

export interface RequestWithAuth {
  simAuth?: SimAuth;
}

export function authOf(req: unknown): SimAuth | undefined {
  return (req as RequestWithAuth).simAuth;
}
