import type { Request, Response, Server } from 'restify';
import { connectionErrorMessage, isConnectionError } from '../connections/connection-error';
import { AUTH_CALLBACK_PATH, AUTH_SITE_PATH, AUTH_START_PATH, type ConnectionServices } from '../connections/create-connection-services';
import type { AccessibleSite } from '../connections/atlassian-auth-client';
import type { SignInAwaitingCode } from '../connections/oauth-connect-flow';
import type { Logger } from '../log/create-logger';

export interface AuthRoutesDeps {
  connections: ConnectionServices;
  logger: Logger;
  /**
   * Tells the asker in Teams that consent was given on their link and a code is waiting: so they
   * also learn of a link someone else opened, even if that person never sends the code.
   */
  onAwaitingCode?: (pending: SignInAwaitingCode) => Promise<void>;
}

/**
 * The browser side of connecting with Atlassian: the sign-in link from the bot's card
 * (start -> Atlassian, once per link), Atlassian's redirect back (callback), and the site picker
 * when the grant reaches several sites. The last page shows a one-time code the user sends to
 * the bot in Teams: the browser cannot prove which Teams user it belongs to, the chat can.
 * Pages are plain HTML with nothing loaded from elsewhere.
 */
export function authRoutes(deps: AuthRoutesDeps): (server: Server) => void {
  return (server) => {
    server.get(AUTH_START_PATH, async (req: Request, res: Response) => {
      const oauth = deps.connections.oauth;
      const ticket = oauth?.readStartTicket(String((req.query as Record<string, unknown> | undefined)?.ticket ?? ''));
      if (!oauth || !ticket) {
        return page(res, 400, 'Sign-in link expired', 'This sign-in link has expired. Type "connect" in Teams to get a new one.');
      }
      if (!(await oauth.flow.claimStartTicket(ticket.nonce, ticket.expiresAt))) {
        return page(res, 400, 'Sign-in link already used', 'This sign-in link was already opened. Type "connect" in Teams to get a new one.');
      }
      const location = await oauth.flow.start(ticket.owner, ticket.conversationId);
      res.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end();
    });

    server.get(AUTH_CALLBACK_PATH, async (req: Request, res: Response) => {
      const flow = deps.connections.oauth?.flow;
      const query = req.query as Record<string, unknown> | undefined;
      const param = (name: string) => (typeof query?.[name] === 'string' ? query[name] : undefined);
      if (!flow) return page(res, 404, 'Not available', 'Signing in with Atlassian is not set up for this app.');
      try {
        const result = await flow.complete({ code: param('code'), state: param('state'), error: param('error') });
        if (result.kind === 'chooseSite') return sitePicker(res, result.choiceId, result.sites);
        return showCode(res, result);
      } catch (error) {
        return failed(res, error);
      }
    });

    server.post(AUTH_SITE_PATH, async (req: Request, res: Response) => {
      const flow = deps.connections.oauth?.flow;
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (!flow) return page(res, 404, 'Not available', 'Signing in with Atlassian is not set up for this app.');
      try {
        return showCode(res, await flow.chooseSite(String(body.choice ?? ''), String(body.cloudId ?? '')));
      } catch (error) {
        return failed(res, error);
      }
    });
  };

  async function showCode(res: Response, pending: SignInAwaitingCode): Promise<void> {
    deps.logger.info('Atlassian consent given; waiting for the sign-in code in Teams');
    const minutes = Math.max(1, Math.round(pending.validForMs / 60_000));
    send(
      res,
      200,
      'One more step',
      `<p>To connect <b>${html(pending.siteName)}</b> as <b>${html(pending.displayName)}</b>, go back to your chat with the Jira app in Teams and send this code:</p>
<p class="code" id="sign-in-code">${html(pending.code)}</p>
<p>It works once, within ${minutes} minute${minutes === 1 ? '' : 's'}, and only for the Teams user who asked for this sign-in link. If someone else sent you the link, do not send the code to anyone: close this window and nothing is connected.</p>`,
    );
    await deps.onAwaitingCode?.(pending).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not tell the asker of a sign-in that a code is waiting');
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
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}button{display:block;width:100%;margin:.5rem 0;padding:.75rem;text-align:left}.code{font:700 2rem ui-monospace,monospace;letter-spacing:.15em}</style>
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
