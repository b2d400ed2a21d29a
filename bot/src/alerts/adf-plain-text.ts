const WIKI_MENTION = /\[~accountid:[^\]\s]+\]/gi;
/** What a wiki-markup mention shows as; the webhook does not carry the person's name. */
const MENTIONED = '@someone';

/**
 * The text of a comment body for a short excerpt: webhooks send wiki markup strings (v2
 * rendering), REST v3 sends ADF. Mentions and emoji keep their visible text; structure is
 * flattened to spaces because an alert shows one short paragraph.
 *
 * The walk keeps its own stack instead of recursing: the body comes from a webhook, and a
 * document nested thousands of levels deep must not overflow the call stack.
 */
export function adfPlainText(body: unknown): string {
  // Wiki markup names a mentioned person only by account id, which means nothing to a reader.
  if (typeof body === 'string') return body.replace(WIKI_MENTION, MENTIONED);
  const parts: string[] = [];
  // A string on the stack is text to emit once the nodes above it are done (a block's closing space).
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      parts.push(node);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    const { type, text, attrs, content } = node as { type?: string; text?: unknown; attrs?: Record<string, unknown>; content?: unknown };
    if (typeof text === 'string') parts.push(text);
    else if ((type === 'mention' || type === 'emoji') && typeof attrs?.text === 'string') parts.push(attrs.text);
    if (Array.isArray(content)) {
      if (type === 'paragraph' || type === 'heading' || type === 'listItem') stack.push(' ');
      // Children go on in reverse so they come off in document order.
      for (let i = content.length - 1; i >= 0; i -= 1) {
        const child: unknown = content[i];
        // Only nodes: a bare string child is not ADF text and must not pass for a pending space.
        if (child && typeof child === 'object') stack.push(child);
      }
    }
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}
