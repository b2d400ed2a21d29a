/** Atlassian Document Format values as the sim stores and serves them (schema: ref/jira/adf-schema.json). */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  content?: AdfNode[];
}

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export function adfParagraphs(...paragraphs: string[]): AdfDoc {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  };
}

/** Plain text of a document, used for JQL text search and changelog strings. */
export function adfToText(node: AdfNode | AdfDoc | null | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  if (node.type === 'mention') return String((node.attrs as { text?: string } | undefined)?.text ?? '');
  const inner = (node.content ?? []).map(adfToText);
  const blockish = node.type === 'doc' || node.type === 'bulletList' || node.type === 'orderedList';
  return inner.join(blockish ? '\n' : '');
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  const doc = value as AdfDoc | null;
  return !!doc && typeof doc === 'object' && doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content);
}
