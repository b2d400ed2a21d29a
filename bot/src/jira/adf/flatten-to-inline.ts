import type { AdfBlock, AdfInline } from './adf-node';

/**
 * The inline content of blocks, in reading order, with `separator` between blocks. Used where
 * ADF allows no block structure (a heading's text, a table inside a list item) and for the
 * plain first line of a message.
 */
export function flattenToInline(blocks: readonly AdfBlock[], separator: AdfInline): AdfInline[] {
  const out: AdfInline[] = [];
  const add = (inline: AdfInline[]): void => {
    if (inline.length === 0) return;
    if (out.length > 0) out.push({ ...separator });
    out.push(...inline);
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        add(block.content);
        break;
      case 'codeBlock': {
        const lines = block.content
          .map((t) => t.text)
          .join('')
          .split('\n');
        const inline: AdfInline[] = [];
        lines.forEach((line, i) => {
          if (i > 0) inline.push({ type: 'hardBreak' });
          if (line !== '') inline.push({ type: 'text', text: line, marks: [{ type: 'code' }] });
        });
        add(inline);
        break;
      }
      case 'bulletList':
      case 'orderedList':
        for (const item of block.content) add(flattenToInline(item.content, separator));
        break;
      case 'blockquote':
        add(flattenToInline(block.content, separator));
        break;
      case 'table':
        for (const row of block.content) {
          const cells = row.content.map((cell) => flattenToInline(cell.content, { type: 'text', text: ' ' }));
          add(cells.filter((c) => c.length > 0).flatMap((c, i) => (i > 0 ? [{ type: 'text', text: ' | ' }, ...c] : c)));
        }
        break;
      case 'rule':
        break;
      default: {
        const unknown: never = block;
        throw new Error(`Unhandled ADF block ${(unknown as AdfBlock).type}`);
      }
    }
  }
  return out;
}
