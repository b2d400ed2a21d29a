/**
 * A Jira site's URL in the forms the service compares, stores and links with. Site URLs reach
 * us from config, connections, webhooks and card data, with or without trailing slashes, in
 * any case, sometimes with stray spaces; every comparison and link goes through here so they
 * all agree.
 */

/** The site URL as stored and shown: trimmed, without trailing slashes, case kept. */
export function siteBase(siteUrl: string): string {
  return siteUrl.trim().replace(/\/+$/, '');
}

/** The key two URLs of one site share (the base, lower-cased): for maps, sets and comparisons. */
export function siteKey(siteUrl: string): string {
  return siteBase(siteUrl).toLowerCase();
}

/** Whether two site URLs name the same Jira site. */
export function sameSite(a: string, b: string): boolean {
  return siteKey(a) === siteKey(b);
}

/** The issue in Jira's own UI: `https://site/browse/KEY`. */
export function browseUrl(siteUrl: string, key: string): string {
  return `${siteBase(siteUrl)}/browse/${encodeURIComponent(key)}`;
}

/**
 * Whether a link's (or a card's) Jira host is the site the user's connection reads. Keys repeat
 * across sites, so acting on PROJ-1 from another site's link would touch the wrong issue. A
 * configured custom domain may front the user's *.atlassian.net site, so those count as the same.
 */
export function sameSiteHost(host: string, siteUrl: string, siteHosts: readonly string[]): boolean {
  const wanted = host.trim().toLowerCase();
  let connected: string;
  try {
    connected = new URL(siteBase(siteUrl)).host.toLowerCase();
  } catch {
    return false;
  }
  return wanted === connected || siteHosts.some((h) => h.trim().toLowerCase() === wanted);
}
