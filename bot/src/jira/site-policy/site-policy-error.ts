/**
 * A request the site policy would not send. Its message names only the host: never a path,
 * query or credentials, so it may be logged and shown to the user who typed the address.
 */
export const SitePolicyErrorCode = {
  /** Not https://*.atlassian.net, https://*.jira.com, Atlassian's own endpoints or a listed origin. */
  NotAllowed: 'SITE_NOT_ALLOWED',
  /** The host resolved to a loopback, private, link-local, metadata or other non-public address. */
  AddressRefused: 'SITE_ADDRESS_REFUSED',
  /** The site answered with a redirect; no Jira call follows one. */
  Redirected: 'SITE_REDIRECTED',
} as const;

export type SitePolicyErrorCode = (typeof SitePolicyErrorCode)[keyof typeof SitePolicyErrorCode];

export class SitePolicyError extends Error {
  constructor(
    readonly code: SitePolicyErrorCode,
    /** The host (with a port when not the default) the request was meant for. */
    readonly site: string,
  ) {
    super(`${code}: ${site}`);
    this.name = 'SitePolicyError';
  }
}

/** The SitePolicyError somewhere in an error's cause chain (axios and http wrap what a socket's lookup threw). */
export function findSitePolicyError(error: unknown): SitePolicyError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    if (current instanceof SitePolicyError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
