import type { AdfBlock, AdfInline, AdfParagraph } from './adf-node';
import { flattenToInline } from './flatten-to-inline';

export type BlockContainer = 'listItem' | 'blockquote' | 'tableCell';

/** Block types each container accepts, from the content rules of adf-schema.json. */
const ALLOWED: Record<BlockContainer, ReadonlySet<AdfBlock['type']>> = {
  listItem: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
  blockquote: new Set(['paragraph', 'bulletList', 'orderedList', 'codeBlock']),
  tableCell: new Set(['paragraph', 'heading', 'bulletList', 'orderedList', 'codeBlock', 'blockquote', 'rule']),
};

function emphasised(content: AdfInline[]): AdfInline[] {
  return content.map((node) => {
    if (node.type !== 'text' || node.marks?.some((m) => m.type === 'code' || m.type === 'strong')) return node;
    return { ...node, marks: [{ type: 'strong' }, ...(node.marks ?? [])] };
  });
}

/**
 * Reshapes blocks so `container` may hold them: HTML nests anything anywhere, ADF does not.
 * A heading becomes a bold paragraph, a quote gives up its quoting, a table becomes one line
 * per row; the text always survives.
 */
export function fitBlocks(blocks: readonly AdfBlock[], container: BlockContainer): AdfBlock[] {
  const allowed = ALLOWED[container];
  const out: AdfBlock[] = [];
  for (const block of blocks) {
    if (allowed.has(block.type)) {
      out.push(block);
      continue;
    }
    switch (block.type) {
      case 'heading':
        out.push({ type: 'paragraph', content: emphasised(block.content) });
        break;
      case 'blockquote':
        out.push(...fitBlocks(block.content, container));
        break;
      case 'table':
        for (const row of block.content) {
          const content = flattenToInline([{ type: 'table', content: [row] }], { type: 'text', text: ' ' });
          if (content.length > 0) out.push({ type: 'paragraph', content } satisfies AdfParagraph);
        }
        break;
      default:
        // A horizontal rule has no text to keep.
        break;
    }
  }
  return out;
}
