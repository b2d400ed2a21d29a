const WIKI_MENTION = /\[~accountid:([^\]\s]+)\]/gi;

/**
 * Account ids a comment or description mentions: ADF `mention` nodes (REST v3, dynamic
 * webhooks) and wiki markup `[~accountid:...]` (v2 renderings, admin webhooks, changelog strings).
 *
 * Walked with its own stack, not by recursion: the body comes from a webhook, and a document
 * nested thousands of levels deep must not overflow the call stack.
 */
export function mentionedAccounts(body: unknown): string[] {
  const found = new Set<string>();
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      for (const match of node.matchAll(WIKI_MENTION)) found.add(match[1]);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const { type, attrs, content } = node as { type?: string; attrs?: { id?: unknown }; content?: unknown };
    if (type === 'mention' && typeof attrs?.id === 'string') found.add(attrs.id);
    // Reverse, so ids come out in document order as they did before.
    if (Array.isArray(content)) for (let i = content.length - 1; i >= 0; i -= 1) stack.push(content[i]);
  }
  return [...found];
}
