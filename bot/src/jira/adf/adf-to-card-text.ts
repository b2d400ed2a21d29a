import { escapeCardText } from '../../cards/adaptive-card';

export interface AdfToCardTextOptions {
  /** Visible characters at most (markup and escapes not counted); 500 unless told. */
  maxLength?: number;
}

/**
 * Turns an ADF document (an issue description, a comment) into a short excerpt for an
 * Adaptive Card TextBlock. Structure becomes the Markdown Teams renders (paragraphs, lists,
 * bold headings); every piece of Jira text is escaped, so nothing in it can format the card.
 * Mentions show as names, links as their text, emoji as themselves, media not at all.
 * The input is untrusted JSON: unknown nodes are read for their text, oddities are skipped.
 * Plain strings (API v2 and webhook descriptions in wiki markup) are shown as text.
 */
export function adfToCardText(doc: unknown, options: AdfToCardTextOptions = {}): string {
  const maxLength = Math.max(1, Math.floor(options.maxLength ?? 500));
  const lines = typeof doc === 'string' ? plainTextLines(doc) : adfLines(doc, maxLength);
  return renderLines(fitLines(lines, maxLength));
}

interface Line {
  /** Trusted Markdown put before the text: a list marker, already indented. */
  marker: string;
  text: string;
  bold?: boolean;
}

const MAX_DEPTH = 48;
const LIST_TYPES = new Set(['bulletList', 'orderedList', 'taskList', 'decisionList']);

function adfLines(doc: unknown, maxLength: number): Line[] {
  const lines: Line[] = [];
  let collected = 0;
  // Enough text to fill the excerpt is enough: a hostile document can be huge.
  const full = () => collected > maxLength;
  const push = (line: Line) => {
    const text = line.text.trim();
    if (!text && !line.marker) return;
    lines.push({ ...line, text });
    collected += text.length + 1;
  };

  const blocks = (nodes: unknown, indent: string, depth: number): void => {
    for (const node of children(nodes)) {
      if (full() || depth > MAX_DEPTH) return;
      block(node, indent, depth);
    }
  };

  const block = (node: Record<string, unknown>, indent: string, depth: number): void => {
    const attrs = record(node.attrs);
    switch (node.type) {
      case 'paragraph':
        return inlineLines(node.content, depth).forEach((text) => push({ marker: indent, text }));
      case 'heading':
        return inlineLines(node.content, depth).forEach((text) => push({ marker: '', text, bold: true }));
      case 'codeBlock':
        return plainText(node.content, depth)
          .split('\n')
          .forEach((text) => push({ marker: indent, text: text.trimEnd() }));
      case 'bulletList':
      case 'orderedList':
      case 'taskList':
      case 'decisionList':
        return listItems(node, indent, depth + 1);
      case 'blockCard':
      case 'embedCard':
        return push({ marker: indent, text: typeof attrs.url === 'string' ? attrs.url : '' });
      case 'table':
        for (const row of children(node.content)) {
          const cells = children(row.content).map((cell) => cellText(cell, depth));
          push({ marker: indent, text: cells.filter(Boolean).join(' · ') });
        }
        return;
      case 'expand':
      case 'nestedExpand':
        if (typeof attrs.title === 'string') push({ marker: '', text: attrs.title, bold: true });
        return blocks(node.content, indent, depth + 1);
      case 'rule':
      case 'mediaSingle':
      case 'mediaGroup':
      case 'media':
      case 'extension':
      case 'syncBlock':
        return;
      default:
        // doc, blockquote, panel, layouts, bodied extensions and whatever Atlassian adds next.
        if (Array.isArray(node.content) && node.content.some((c) => isInline(c))) {
          return inlineLines(node.content, depth).forEach((text) => push({ marker: indent, text }));
        }
        return blocks(node.content, indent, depth + 1);
    }
  };

  const listItems = (list: Record<string, unknown>, indent: string, depth: number): void => {
    const start = Number(record(list.attrs).order);
    let number = Number.isInteger(start) && start >= 0 && start < 1e6 ? start : 1;
    for (const item of children(list.content)) {
      if (full() || depth > MAX_DEPTH) return;
      const marker = list.type === 'orderedList' ? `${number++}.` : '-';
      const badge = item.type === 'taskItem' ? (record(item.attrs).state === 'DONE' ? '☑ ' : '☐ ') : '';
      const childIndent = `${indent}${' '.repeat(marker.length + 1)}`;
      const content = children(item.content);
      // An item's first paragraph sits on the marker's line; what follows indents under it.
      // Task and decision items hold inline content directly.
      const inline = content.length === 0 || isInline(content[0]);
      const first = inline ? inlineLines(item.content, depth + 1) : firstBlockText(content[0], depth + 1);
      const text = `${badge}${first.join(' ')}`.trim();
      if (text) push({ marker: `${indent}${marker} `, text });
      for (const child of inline ? [] : content.slice(1)) {
        if (LIST_TYPES.has(String(child.type))) listItems(child, childIndent, depth + 1);
        else block(child, childIndent, depth + 1);
      }
    }
  };

  const firstBlockText = (node: Record<string, unknown>, depth: number): string[] =>
    node.type === 'paragraph' || node.type === 'heading' ? inlineLines(node.content, depth) : [plainText([node], depth)];

  const cellText = (cell: Record<string, unknown>, depth: number): string => plainText(cell.content, depth).replace(/\s+/g, ' ').trim();

  blocks(isRecord(doc) && doc.type === 'doc' ? doc.content : isRecord(doc) ? [doc] : [], '', 0);
  return lines;
}

/** The text of inline content, split at hard breaks. */
function inlineLines(nodes: unknown, depth: number): string[] {
  const lines: string[] = [''];
  const walk = (items: unknown, level: number): void => {
    if (level > MAX_DEPTH) return;
    for (const node of children(items)) {
      if (node.type === 'hardBreak') lines.push('');
      else if (isInline(node)) lines[lines.length - 1] += inlineText(node);
      else walk(node.content, level + 1);
    }
  };
  walk(nodes, depth);
  return lines.map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** All text under some nodes, newlines kept (for code blocks and cells). */
function plainText(nodes: unknown, depth: number): string {
  if (depth > MAX_DEPTH) return '';
  return children(nodes)
    .map((node) => (node.type === 'hardBreak' ? '\n' : isInline(node) ? inlineText(node) : plainText(node.content, depth + 1) + ' '))
    .join('');
}

const INLINE_TYPES = new Set(['text', 'mention', 'emoji', 'hardBreak', 'inlineCard', 'status', 'date', 'placeholder', 'mediaInline', 'inlineExtension']);

function isInline(node: unknown): boolean {
  return isRecord(node) && typeof node.type === 'string' && INLINE_TYPES.has(node.type);
}

function inlineText(node: Record<string, unknown>): string {
  const attrs = record(node.attrs);
  switch (node.type) {
    case 'text':
      // Marks (bold, links, code, colour) are dropped: the excerpt shows words, not styling.
      return typeof node.text === 'string' ? node.text : '';
    case 'mention': {
      const name = typeof attrs.text === 'string' ? attrs.text.trim() : '';
      return name ? (name.startsWith('@') ? name : `@${name}`) : '@someone';
    }
    case 'emoji':
      return typeof attrs.text === 'string' && attrs.text ? attrs.text : typeof attrs.shortName === 'string' ? attrs.shortName : '';
    case 'inlineCard':
      return typeof attrs.url === 'string' ? attrs.url : '';
    case 'status':
      return typeof attrs.text === 'string' && attrs.text.trim() ? `[${attrs.text.trim().toUpperCase()}]` : '';
    case 'date': {
      const time = new Date(Number(attrs.timestamp));
      return Number.isNaN(time.getTime()) ? '' : time.toISOString().slice(0, 10);
    }
    default:
      // placeholder text is a prompt for the editor, media and extensions have no text.
      return '';
  }
}

function plainTextLines(text: string): Line[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n/)
    .map((line) => ({ marker: '', text: line.replace(/\s+/g, ' ').trim() }))
    .filter((line) => line.text);
}

/** Keeps whole lines while they fit, cuts the first that does not at a word, and says so with an ellipsis. */
function fitLines(lines: Line[], maxLength: number): Line[] {
  const kept: Line[] = [];
  let left = maxLength;
  for (const line of lines) {
    if (line.text.length <= left) {
      kept.push(line);
      left -= line.text.length;
      continue;
    }
    const cut = cutAtWord(line.text, left);
    if (cut) kept.push({ ...line, text: `${cut}…` });
    else if (kept.length) kept[kept.length - 1] = { ...kept[kept.length - 1], text: `${kept[kept.length - 1].text}…` };
    return kept;
  }
  return kept;
}

function cutAtWord(text: string, room: number): string {
  if (room <= 0) return '';
  let end = room;
  const space = text.lastIndexOf(' ', room);
  // Prefer a word boundary unless it throws away most of the room (one long URL, say).
  if (space > room * 0.5) end = space;
  // Half an emoji is not text.
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end).replace(/[\s,;:.\-–—]+$/, '');
}

function renderLines(lines: Line[]): string {
  let out = '';
  lines.forEach((line, i) => {
    const text = escapeCardText(line.text);
    const rendered = `${line.marker}${line.bold ? `**${text}**` : text}`;
    if (i > 0) {
      // List items of one list are one Markdown block; everything else is its own paragraph.
      out += isListItem(line) && (isListItem(lines[i - 1]) || isIndented(line)) ? '\n' : '\n\n';
    }
    out += rendered;
  });
  return out;
}

function isListItem(line: Line): boolean {
  return /^ *(?:-|\d+\.) $/.test(line.marker);
}

function isIndented(line: Line): boolean {
  return line.marker.startsWith(' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function children(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
