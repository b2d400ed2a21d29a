const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The link target to keep from an `href` or `src`, or undefined when it is relative, malformed
 * or uses a scheme that could run code or leak data (javascript:, data:, vbscript:, file:...).
 */
export function safeHref(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}
