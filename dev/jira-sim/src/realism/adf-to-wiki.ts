import type { AdfDoc, AdfNode } from '../site/adf';

type Mark = NonNullable<AdfNode['marks']>[number];

function markText(text: string, marks: Mark[] = []): string {
  let out = text;
  for (const mark of marks) {
    if (mark.type === 'strong') out = `*${out}*`;
    else if (mark.type === 'em') out = `_${out}_`;
    else if (mark.type === 'strike') out = `-${out}-`;
    else if (mark.type === 'underline') out = `+${out}+`;
    else if (mark.type === 'code') out = `{{${out}}}`;
    else if (mark.type === 'link') out = `[${out}|${String(mark.attrs?.href ?? '')}]`;
  }
  return out;
}

function inline(nodes: AdfNode[] = []): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') return markText(node.text ?? '', node.marks);
      if (node.type === 'hardBreak') return '\n';
      if (node.type === 'mention') return `[~accountid:${String(node.attrs?.id ?? '')}]`;
      if (node.type === 'emoji') return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
      if (node.type === 'inlineCard') return `[${String(node.attrs?.url ?? '')}|${String(node.attrs?.url ?? '')}|smart-link]`;
      return inline(node.content);
    })
    .join('');
}

function listItems(node: AdfNode, bullet: string): string[] {
  return (node.content ?? []).flatMap((item) =>
    (item.content ?? []).flatMap((child) => {
      if (child.type === 'bulletList') return listItems(child, `${bullet}*`);
      if (child.type === 'orderedList') return listItems(child, `${bullet}#`);
      return [`${bullet} ${inline(child.content)}`];
    }),
  );
}

function block(node: AdfNode): string {
  switch (node.type) {
    case 'paragraph':
      return inline(node.content);
    case 'heading':
      return `h${Number(node.attrs?.level ?? 1)}. ${inline(node.content)}`;
    case 'bulletList':
      return listItems(node, '*').join('\n');
    case 'orderedList':
      return listItems(node, '#').join('\n');
    case 'codeBlock': {
      const language = node.attrs?.language ? `:${String(node.attrs.language)}` : '';
      return `{code${language}}${inline(node.content)}{code}`;
    }
    case 'blockquote':
      return `{quote}${(node.content ?? []).map(block).join('\n\n')}{quote}`;
    case 'rule':
      return '----';
    case 'panel':
      return `{panel}${(node.content ?? []).map(block).join('\n\n')}{panel}`;
    default:
      return node.content ? (node.content.every((c) => c.type === 'text') ? inline(node.content) : node.content.map(block).join('\n\n')) : '';
  }
}

/**
 * An ADF document as the wiki markup Jira's REST v2 (and its webhooks) return. Covers the nodes the
 * simulator stores; Jira's own converter handles more (tables, media), which the simulator never holds.
 */
export function adfToWiki(doc: AdfDoc): string {
  return doc.content.map(block).join('\n\n');
}
