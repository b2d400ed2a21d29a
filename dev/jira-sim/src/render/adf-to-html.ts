/** A small ADF-to-HTML rendering for `expand=renderedFields`; enough for previews, not a full renderer. */
import type { AdfDoc, AdfNode } from '../site/adf';

const BLOCK: Record<string, string> = {
  paragraph: 'p',
  bulletList: 'ul',
  orderedList: 'ol',
  listItem: 'li',
  blockquote: 'blockquote',
  codeBlock: 'pre',
  tableRow: 'tr',
  tableCell: 'td',
  tableHeader: 'th',
  table: 'table',
};

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderNode(node: AdfNode): string {
  if (node.type === 'text') {
    let html = escape(node.text ?? '');
    for (const mark of node.marks ?? []) {
      if (mark.type === 'strong') html = `<b>${html}</b>`;
      else if (mark.type === 'em') html = `<em>${html}</em>`;
      else if (mark.type === 'code') html = `<tt>${html}</tt>`;
      else if (mark.type === 'link') html = `<a href="${escape(String(mark.attrs?.href ?? ''))}">${html}</a>`;
    }
    return html;
  }
  if (node.type === 'hardBreak') return '<br/>';
  if (node.type === 'mention') return `<a class="user-hover">${escape(String(node.attrs?.text ?? ''))}</a>`;
  const inner = (node.content ?? []).map(renderNode).join('');
  if (node.type === 'heading') {
    const level = Number(node.attrs?.level ?? 1);
    return `<h${level}>${inner}</h${level}>`;
  }
  const tag = BLOCK[node.type];
  return tag ? `<${tag}>${inner}</${tag}>` : inner;
}

export function adfToHtml(doc: AdfDoc | null | undefined): string | null {
  if (!doc) return null;
  return doc.content.map(renderNode).join('');
}
