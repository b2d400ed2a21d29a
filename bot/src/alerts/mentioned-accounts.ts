/**
 * Account ids a comment or description mentions: ADF `mention` nodes (REST v3, dynamic
 * webhooks) and wiki markup `[~accountid:...]` (v2 renderings, admin webhooks, changelog strings).
 */
export function mentionedAccounts(body: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(/\[~accountid:([^\]\s]+)\]/gi)) found.add(match[1]);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const { type, attrs, content } = node as { type?: string; attrs?: { id?: unknown }; content?: unknown };
    if (type === 'mention' && typeof attrs?.id === 'string') found.add(attrs.id);
    if (Array.isArray(content)) content.forEach(walk);
  };
  walk(body);
  return [...found];
}
