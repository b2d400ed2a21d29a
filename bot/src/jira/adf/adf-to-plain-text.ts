import type { AdfBlock, AdfInline } from './adf-node';

function inlineText(content: readonly AdfInline[]): string {
  return content.map((node) => (node.type === 'text' ? node.text : node.type === 'mention' ? node.attrs.text : '\n')).join('');
}

function indent(text: string, prefix: string): string {
  const pad = ' '.repeat(prefix.length);
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? prefix : pad) + line)
    .join('\n');
}

function blockText(block: AdfBlock): string {
  switch (block.type) {
    case 'paragraph':
    case 'heading':
      return inlineText(block.content);
    case 'codeBlock':
      return block.content.map((t) => t.text).join('');
    case 'bulletList':
      return block.content.map((item) => indent(item.content.map(blockText).join('\n'), '- ')).join('\n');
    case 'orderedList': {
      const start = block.attrs?.order ?? 1;
      return block.content.map((item, i) => indent(item.content.map(blockText).join('\n'), `${start + i}. `)).join('\n');
    }
    case 'blockquote':
      return block.content
        .map(blockText)
        .join('\n')
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'table':
      return block.content.map((row) => row.content.map((cell) => cell.content.map(blockText).join(' ').replace(/\n/g, ' ')).join(' | ')).join('\n');
    case 'rule':
      return '---';
    default:
      return '';
  }
}

/**
 * Text a user can edit in a plain multi-line input (a dialog's description or comment box):
 * one block per paragraph, list items with their bullets or numbers, quotes with `>`.
 * Formatting marks are dropped; nothing is escaped, because an input shows text as it is.
 */
export function adfToPlainText(blocks: readonly AdfBlock[]): string {
  return blocks
    .map(blockText)
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}
