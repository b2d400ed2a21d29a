import type { Request, Response, Server } from 'restify';
import type { OAuthConnection } from '../connections/connection';
import { connectionErrorMessage, isConnectionError } from '../connections/connection-error';
import { AUTH_CALLBACK_PATH, AUTH_SITE_PATH, AUTH_START_PATH, type ConnectionServices } from '../connections/create-connection-services';
import type { AccessibleSite } from '../connections/atlassian-auth-client';
import type { Logger } from '../log/create-logger';

export interface AuthRoutesDeps {
  connections: ConnectionServices;
  logger: Logger;
  /** Tells the user in Teams that the connection is made (a proactive message to that conversation). */
  onConnected?: (connection: OAuthConnection, conversationId: string) => Promise<void>;
}

/**
 * The browser side of connecting with Atlassian: the sign-in link from the bot's card
 * (start -> Atlassian), Atlassian's redirect back (callback), and the site picker when the
 * grant reaches several sites. Pages are plain HTML with nothing loaded from elsewhere.
 */
export function authRoutes(deps: AuthRoutesDeps): (server: Server) => void {
  return (server) => {
    server.get(AUTH_START_PATH, async (req: Request, res: Response) => {
      const oauth = deps.connections.oauth;
      const ticket = oauth?.readStartTicket(String(req.query?.ticket ?? ''));
      if (!oauth || !ticket) {
        return page(res, 400, 'Sign-in link expired', 'This sign-in link has expired. Type "connect" in Teams to get a new one.');
      }
      const location = await oauth.flow.start(ticket.owner, ticket.conversationId);
      res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end();
    });

    server.get(AUTH_CALLBACK_PATH, async (req: Request, res: Response) => {
      const flow = deps.connections.oauth?.flow;
      const query = req.query as Record<string, unknown> | undefined;
      const param = (name: string) => (typeof query?.[name] === 'string' ? (query[name] as string) : undefined);
      if (!flow) return page(res, 404, 'Not available', 'Signing in with Atlassian is not set up for this app.');
      try {
        const result = await flow.complete({ code: param('code'), state: param('state'), error: param('error') });
        if (result.kind === 'chooseSite') return sitePicker(res, result.choiceId, result.sites);
        return connected(res, result.connection, result.conversationId);
      } catch (error) {
        return failed(res, error);
      }
    });

    server.post(AUTH_SITE_PATH, async (req: Request, res: Response) => {
      const flow = deps.connections.oauth?.flow;
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!flow) return page(res, 404, 'Not available', 'Signing in with Atlassian is not set up for this app.');
      try {
        const result = await flow.chooseSite(String(body.choice ?? ''), String(body.cloudId ?? ''));
        return connected(res, result.connection, result.conversationId);
      } catch (error) {
        return failed(res, error);
      }
    });
  };

  async function connected(res: Response, connection: OAuthConnection, conversationId: string): Promise<void> {
    deps.logger.info({ tenantId: connection.owner.tenantId, cloudId: connection.cloudId }, 'Jira connected with OAuth');
    page(
      res,
      200,
      'Jira connected',
      `You are connected to ${connection.siteName} as ${connection.displayName}. You can close this window and go back to Teams.`,
    );
    await deps.onConnected?.(connection, conversationId).catch((error: unknown) => {
      deps.logger.warn({ err: error, cloudId: connection.cloudId }, 'could not tell the user in Teams that Jira is connected');
    });
  }

  function failed(res: Response, error: unknown): void {
    if (!isConnectionError(error)) throw error;
    deps.logger.info({ code: error.code }, 'Jira OAuth connection refused');
    page(res, 400, 'Jira not connected', connectionErrorMessage(error));
  }
}

function sitePicker(res: Response, choiceId: string, sites: AccessibleSite[]): void {
  const buttons = sites
    .map(
      (site) =>
        `<form method="post" action="${AUTH_SITE_PATH}"><input type="hidden" name="choice" value="${html(choiceId)}">` +
        `<input type="hidden" name="cloudId" value="${html(site.cloudId)}">` +
        `<button type="submit">${html(site.name)} <small>${html(site.url)}</small></button></form>`,
    )
    .join('\n');
  send(res, 200, 'Choose a Jira site', `<p>Your Atlassian account can reach several Jira sites. Which one should Teams use?</p>\n${buttons}`);
}

function page(res: Response, status: number, title: string, message: string): void {
  send(res, status, title, `<p>${html(message)}</p>`);
}

function send(res: Response, status: number, title: string, body: string): void {
  const document = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}button{display:block;width:100%;margin:.5rem 0;padding:.75rem;text-align:left}</style>
</head><body><h1>${html(title)}</h1>
${body}
</body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(document),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  });
  res.end(document);
}

function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
