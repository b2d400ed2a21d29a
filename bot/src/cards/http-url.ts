/**
 * The URL if it is absolute http(s), else undefined: a card must never carry a `javascript:`
 * or relative link, whatever a Jira response or a pasted link contained.
 */
export function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The host a card action names its site by (`acme.atlassian.net`, `127.0.0.1:3990`): the action
 * handler checks it against the clicking user's own site, so every card must name it the same way.
 */
export function siteHostOf(url: string): string {
  const parsed = httpUrl(url);
  return parsed ? new URL(parsed).host.toLowerCase() : '';
}
