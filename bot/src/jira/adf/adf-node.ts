/**
 * The subset of the Atlassian Document Format this service writes. Shapes follow
 * ../shared/ref/jira/adf-schema.json; anything outside this subset is never produced.
 */
export type AdfMark =
  | { type: 'strong' }
  | { type: 'em' }
  | { type: 'strike' }
  | { type: 'underline' }
  | { type: 'code' }
  | { type: 'subsup'; attrs: { type: 'sub' | 'sup' } }
  | { type: 'link'; attrs: { href: string } };

export interface AdfText {
  type: 'text';
  text: string;
  marks?: AdfMark[];
}

export interface AdfMention {
  type: 'mention';
  attrs: { id: string; text: string };
}

export interface AdfHardBreak {
  type: 'hardBreak';
}

export type AdfInline = AdfText | AdfMention | AdfHardBreak;

export interface AdfParagraph {
  type: 'paragraph';
  content: AdfInline[];
}

export interface AdfHeading {
  type: 'heading';
  attrs: { level: 1 | 2 | 3 | 4 | 5 | 6 };
  content: AdfInline[];
}

export interface AdfCodeBlock {
  type: 'codeBlock';
  attrs?: { language: string };
  content: AdfText[];
}

export interface AdfListItem {
  type: 'listItem';
  content: AdfBlock[];
}

export interface AdfBulletList {
  type: 'bulletList';
  content: AdfListItem[];
}

export interface AdfOrderedList {
  type: 'orderedList';
  attrs?: { order: number };
  content: AdfListItem[];
}

export interface AdfBlockquote {
  type: 'blockquote';
  content: AdfBlock[];
}

export interface AdfTableCell {
  type: 'tableCell' | 'tableHeader';
  attrs?: { colspan?: number; rowspan?: number };
  content: AdfBlock[];
}

export interface AdfTableRow {
  type: 'tableRow';
  content: AdfTableCell[];
}

export interface AdfTable {
  type: 'table';
  content: AdfTableRow[];
}

export interface AdfRule {
  type: 'rule';
}

export type AdfBlock = AdfParagraph | AdfHeading | AdfCodeBlock | AdfBulletList | AdfOrderedList | AdfBlockquote | AdfTable | AdfRule;

export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfBlock[];
}
