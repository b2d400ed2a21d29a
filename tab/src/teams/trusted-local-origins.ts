const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Extra origins teams-js may accept messages from. Teams itself is on https origins teams-js
 * already knows, so a deployed tab trusts nothing more. A tab served from loopback is a
 * developer's local run (npm start, the browser tests), framed by dev/teams-host-emu on another
 * loopback port: only then is that loopback parent trusted, so no remote page can ever talk to
 * the tab as its host.
 */
export function trustedLocalOrigins(location: Location, referrer: string): string[] {
  if (!LOOPBACK.has(location.hostname)) return [];
  const parent = parse(location.ancestorOrigins?.[0] ?? referrer);
  return parent && LOOPBACK.has(parent.hostname) ? [parent.origin] : [];
}

function parse(url: string | undefined): URL | undefined {
  try {
    return url ? new URL(url) : undefined;
  } catch {
    return undefined;
  }
}
