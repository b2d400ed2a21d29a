import type { AdfBlock, AdfDoc, AdfInline } from './adf-node';
import { DEFAULT_MAX_CHARS, TRUNCATION_NOTE } from './html-to-adf';
import { TextBudget } from './text-budget';

/**
 * An ADF document for plain text (a Teams message with `contentType: text`, or what a user
 * typed in a dialog): blank lines separate paragraphs, single newlines become line breaks.
 * The text is kept as typed; nothing in it is read as markup.
 */
export function textToAdf(text: string, maxChars = DEFAULT_MAX_CHARS): AdfDoc {
  const budget = new TextBudget(maxChars);
  const content: AdfBlock[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    if (budget.exhausted) break;
    const inline: AdfInline[] = [];
    for (const line of chunk.split('\n')) {
      const kept = budget.take(line.replace(/[ \t]+$/, ''));
      if (inline.length > 0) inline.push({ type: 'hardBreak' });
      if (kept !== '') inline.push({ type: 'text', text: kept });
    }
    while (inline[0]?.type === 'hardBreak') inline.shift();
    while (inline[inline.length - 1]?.type === 'hardBreak') inline.pop();
    if (inline.length > 0) content.push({ type: 'paragraph', content: inline });
  }
  if (budget.truncated) content.push({ type: 'paragraph', content: [{ type: 'text', text: TRUNCATION_NOTE, marks: [{ type: 'em' }] }] });
  return { type: 'doc', version: 1, content };
}
