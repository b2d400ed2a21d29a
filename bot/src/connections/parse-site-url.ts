import { ConnectionError, ConnectionErrorCode } from './connection-error';

/**
 * The origin of a Jira Cloud site from what a user typed: a bare host gets https://, a pasted
 * issue or board link is cut back to its site. Plain http is refused unless allowed (local
 * development against the simulator), since an API token would travel in clear.
 */
export function parseSiteUrl(input: string, options: { allowHttp?: boolean } = {}): string {
  const trimmed = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConnectionError(ConnectionErrorCode.SiteUrlInvalid);
  }
  const httpAllowed = url.protocol === 'http:' && options.allowHttp;
  if (url.protocol !== 'https:' && !httpAllowed) throw new ConnectionError(ConnectionErrorCode.SiteUrlInvalid, { detail: 'not https' });
  if (url.username || url.password) throw new ConnectionError(ConnectionErrorCode.SiteUrlInvalid, { detail: 'credentials in URL' });
  const host = url.hostname;
  const plausibleHost = host.includes('.') || host === 'localhost' || /^\[[0-9a-f:]+\]$/i.test(host);
  if (!plausibleHost || /\s/.test(trimmed)) throw new ConnectionError(ConnectionErrorCode.SiteUrlInvalid);
  return url.origin;
}
