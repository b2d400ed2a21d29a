/**
 * Whether a link's (or a card's) Jira host is the site the user's connection reads. Keys repeat
 * across sites, so acting on PROJ-1 from another site's link would touch the wrong issue. A
 * configured custom domain may front the user's *.atlassian.net site, so those count as the same.
 */
export function sameSite(host: string, siteUrl: string, siteHosts: readonly string[]): boolean {
  const wanted = host.toLowerCase();
  let connected: string;
  try {
    connected = new URL(siteUrl).host.toLowerCase();
  } catch {
    return false;
  }
  return wanted === connected || siteHosts.some((h) => h.trim().toLowerCase() === wanted);
}
