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
