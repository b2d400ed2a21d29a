/**
 * The text of a comment body for a short excerpt: webhooks send wiki markup strings (v2
 * rendering), REST v3 sends ADF. Mentions and emoji keep their visible text; structure is
 * flattened to spaces because an alert shows one short paragraph.
 */
export function adfPlainText(body: unknown): string {
  if (typeof body === 'string') return body;
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const { type, text, attrs, content } = node as { type?: string; text?: unknown; attrs?: Record<string, unknown>; content?: unknown };
    if (typeof text === 'string') parts.push(text);
    else if ((type === 'mention' || type === 'emoji') && typeof attrs?.text === 'string') parts.push(attrs.text);
    if (Array.isArray(content)) {
      for (const child of content) walk(child);
      if (type === 'paragraph' || type === 'heading' || type === 'listItem') parts.push(' ');
    }
  };
  walk(body);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
