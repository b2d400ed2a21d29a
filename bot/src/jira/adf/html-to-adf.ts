import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import type { AdfBlock, AdfDoc, AdfListItem, AdfTableCell, AdfTableRow } from './adf-node';
import { adfMarks, type MarkState } from './adf-marks';
import { fitBlocks } from './fit-blocks';
import { flattenToInline } from './flatten-to-inline';
import { InlineRun } from './inline-run';
import { safeHref } from './safe-href';
import { TextBudget } from './text-budget';

type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];

export interface HtmlToAdfOptions {
  /**
   * Jira accountIds of the people a message mentions, keyed by the Teams mention id
   * (`<at id="0">`, or `itemid` of a mention span). Mentions without an account stay as the
   * person's name in plain text.
   */
  mentions?: Readonly<Record<string, string | undefined>>;
  /** Most characters of text to keep; the rest is cut with a note. Defaults to 30,000. */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 30_000;
export const TRUNCATION_NOTE = '… (message shortened; the full text is in Teams)';

/** Elements whose content is never shown: code, styling, embedded objects, form controls. */
const DROPPED = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'head',
  'title',
  'meta',
  'link',
  'base',
  'svg',
  'math',
  'canvas',
  'audio',
  'video',
  'source',
  'track',
  'input',
  'select',
  'option',
  'textarea',
  'button',
  'form',
  'frame',
  'frameset',
  'applet',
  'colgroup',
  'col',
]);

/** Block elements that only group content: their children become sibling blocks. */
const GROUPING = new Set([
  'p',
  'div',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'main',
  'nav',
  'figure',
  'figcaption',
  'address',
  'center',
  'dl',
  'dt',
  'dd',
  'details',
  'summary',
  'li',
  'body',
  'html',
  'fieldset',
  'legend',
]);

const HEADINGS: Record<string, 1 | 2 | 3 | 4 | 5 | 6> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

const INLINE_MARKS: Record<string, MarkState> = {
  b: { strong: true },
  strong: { strong: true },
  i: { em: true },
  em: { em: true },
  cite: { em: true },
  dfn: { em: true },
  var: { em: true },
  s: { strike: true },
  strike: { strike: true },
  del: { strike: true },
  u: { underline: true },
  ins: { underline: true },
  code: { code: true },
  kbd: { code: true },
  samp: { code: true },
  tt: { code: true },
  sub: { subsup: 'sub' },
  sup: { subsup: 'sup' },
};

const EMOJI_ITEMTYPE = 'http://schema.skype.com/Emoji';
const MENTION_ITEMTYPE = 'http://schema.skype.com/Mention';
/** Code block language classes Teams writes that name no language. */
const NOT_A_LANGUAGE = new Set(['plaintext', 'text', 'none', 'was-manually-selected']);

/**
 * Structure deeper than this is read as plain text: real messages nest a few levels, and
 * hostile ones must not exhaust the stack.
 */
const MAX_DEPTH = 48;

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

/** All text under a node, without recursion, for content nested past MAX_DEPTH. */
function flatText(root: Node): string {
  const parts: string[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterMap['textNode']).value);
    else if (isElement(node) && !DROPPED.has(node.tagName)) {
      if (node.tagName === 'br') parts.push(' ');
      for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]);
    }
  }
  return parts.join('');
}

class Converter {
  constructor(
    private readonly options: HtmlToAdfOptions,
    readonly budget: TextBudget,
  ) {}

  /** Converts sibling nodes into blocks, wrapping loose inline content in paragraphs. */
  blocks(nodes: readonly Node[], marks: MarkState, depth: number): AdfBlock[] {
    const out: AdfBlock[] = [];
    const run = new InlineRun();
    const flush = (): void => {
      const content = run.take();
      if (content.length > 0) out.push({ type: 'paragraph', content });
    };
    const visit = (node: Node, state: MarkState, level: number): void => {
      if (this.budget.exhausted) return;
      if (node.nodeName === '#text') {
        run.text(this.budget.take((node as DefaultTreeAdapterMap['textNode']).value), adfMarks(state));
        return;
      }
      if (!isElement(node) || DROPPED.has(node.tagName)) return;
      const el = node;
      const tag = el.tagName;
      if (level > MAX_DEPTH) {
        run.text(this.budget.take(flatText(el)), adfMarks(state));
        return;
      }
      if (GROUPING.has(tag)) {
        flush();
        for (const child of el.childNodes) visit(child, state, level + 1);
        flush();
        return;
      }
      const block = this.block(el, state, level);
      if (block) {
        flush();
        out.push(...block);
        return;
      }
      this.inline(el, state, run, (child, childState) => visit(child, childState, level + 1));
    };
    for (const node of nodes) visit(node, marks, depth);
    flush();
    return out;
  }

  /** The blocks for a structural element, or undefined when the element is inline. */
  private block(el: Element, marks: MarkState, depth: number): AdfBlock[] | undefined {
    const tag = el.tagName;
    const level = HEADINGS[tag];
    if (level) {
      const content = flattenToInline(this.blocks(el.childNodes, marks, depth + 1), { type: 'hardBreak' });
      return content.length > 0 ? [{ type: 'heading', attrs: { level }, content }] : [];
    }
    switch (tag) {
      case 'ul':
      case 'ol':
        return this.list(el, marks, depth);
      case 'blockquote': {
        const content = fitBlocks(this.blocks(el.childNodes, marks, depth + 1), 'blockquote');
        return content.length > 0 ? [{ type: 'blockquote', content }] : [];
      }
      case 'pre':
        return this.codeBlock(el);
      case 'table':
        return this.table(el, marks, depth);
      case 'hr':
        return [{ type: 'rule' }];
      default:
        return undefined;
    }
  }

  private inline(el: Element, marks: MarkState, run: InlineRun, visitChild: (node: Node, state: MarkState) => void): void {
    const tag = el.tagName;
    if (tag === 'br') {
      run.hardBreak();
      return;
    }
    if (tag === 'img') {
      this.image(el, marks, run);
      return;
    }
    const mentionId = tag === 'at' ? attr(el, 'id') : attr(el, 'itemtype') === MENTION_ITEMTYPE ? attr(el, 'itemid') : undefined;
    if (tag === 'at' || mentionId !== undefined) {
      const name = this.budget.take(flatText(el).replace(/\s+/g, ' ').trim());
      const accountId = mentionId !== undefined ? this.options.mentions?.[mentionId] : undefined;
      if (name === '') return;
      if (accountId) run.mention(accountId, name);
      else run.text(name, adfMarks(marks));
      return;
    }
    let state = marks;
    if (tag === 'a') {
      const href = safeHref(attr(el, 'href'));
      if (href) state = { ...marks, link: href };
      if (href && flatText(el).trim() === '' && !el.childNodes.some((c) => isElement(c) && c.tagName === 'img')) {
        run.text(this.budget.take(href), adfMarks(state));
        return;
      }
    } else if (INLINE_MARKS[tag]) {
      state = { ...marks, ...INLINE_MARKS[tag] };
    }
    for (const child of el.childNodes) visitChild(child, state);
  }

  private image(el: Element, marks: MarkState, run: InlineRun): void {
    const alt = (attr(el, 'alt') ?? '').trim();
    if (attr(el, 'itemtype') === EMOJI_ITEMTYPE) {
      if (alt !== '') run.text(this.budget.take(alt), adfMarks(marks));
      return;
    }
    const src = safeHref(attr(el, 'src'));
    const label = alt || (attr(el, 'title') ?? '').trim() || 'image';
    if (!src && alt === '') return;
    // Inside a link the link target wins: that is where the author meant the image to lead.
    const state = src && !marks.link ? { ...marks, code: false, link: src } : marks;
    run.text(this.budget.take(`[${label}]`), adfMarks(state));
  }

  private list(el: Element, marks: MarkState, depth: number): AdfBlock[] {
    const items: AdfListItem[] = [];
    let loose: Node[] = [];
    const addItem = (blocks: AdfBlock[]): void => {
      const content = fitBlocks(blocks, 'listItem');
      if (content.length === 0) return;
      // A list item must open with a paragraph or code block, never with a nested list.
      if (content[0].type !== 'paragraph' && content[0].type !== 'codeBlock') content.unshift({ type: 'paragraph', content: [] });
      items.push({ type: 'listItem', content });
    };
    const flushLoose = (): void => {
      if (loose.length > 0) addItem(this.blocks(loose, marks, depth + 1));
      loose = [];
    };
    for (const child of el.childNodes) {
      if (isElement(child) && child.tagName === 'li') {
        flushLoose();
        addItem(this.blocks(child.childNodes, marks, depth + 1));
      } else if (isElement(child) && (child.tagName === 'ul' || child.tagName === 'ol') && items.length > 0 && loose.length === 0) {
        // Some editors write a sub-list as a sibling of the item it belongs to.
        items[items.length - 1].content.push(...this.list(child, marks, depth + 1));
      } else {
        loose.push(child);
      }
    }
    flushLoose();
    if (items.length === 0) return [];
    if (el.tagName === 'ul') return [{ type: 'bulletList', content: items }];
    const start = Number.parseInt(attr(el, 'start') ?? '', 10);
    return [Number.isInteger(start) && start >= 0 && start !== 1 ? { type: 'orderedList', attrs: { order: start }, content: items } : { type: 'orderedList', content: items }];
  }

  private codeBlock(el: Element): AdfBlock[] {
    const parts: string[] = [];
    const walk = (node: Node, level: number): void => {
      if (node.nodeName === '#text') {
        parts.push((node as DefaultTreeAdapterMap['textNode']).value);
        return;
      }
      if (!isElement(node) || DROPPED.has(node.tagName)) return;
      if (node.tagName === 'br') {
        parts.push('\n');
        return;
      }
      // Teams breaks lines with <br>; other editors put each line in its own <div> or <p>.
      const lineLike = node.tagName === 'div' || node.tagName === 'p';
      if (lineLike && parts.length > 0 && !parts[parts.length - 1].endsWith('\n')) parts.push('\n');
      if (level > MAX_DEPTH) parts.push(flatText(node));
      else for (const child of node.childNodes) walk(child, level + 1);
    };
    for (const child of el.childNodes) walk(child, 0);
    const text = this.budget.take(
      parts
        .join('')
        .replace(/\r\n?/g, '\n')
        .replace(/\u00a0/g, ' ')
        .replace(/^\n+/, '')
        .replace(/\s+$/, ''),
    );
    if (text === '') return [];
    const language = this.language(el);
    return [{ type: 'codeBlock', ...(language ? { attrs: { language } } : {}), content: [{ type: 'text', text }] }];
  }

  /** Teams writes `<pre class="language-typescript">`; some editors put the class on the inner `<code>`. */
  private language(pre: Element): string | undefined {
    const code = pre.childNodes.find((c): c is Element => isElement(c) && c.tagName === 'code');
    const classes = `${attr(pre, 'class') ?? ''} ${code ? (attr(code, 'class') ?? '') : ''}`.split(/\s+/);
    for (const cls of classes) {
      const match = /^(?:language|lang)-([\w#+.-]+)$/.exec(cls);
      if (match && !NOT_A_LANGUAGE.has(match[1].toLowerCase())) return match[1].toLowerCase();
    }
    return undefined;
  }

  private table(el: Element, marks: MarkState, depth: number): AdfBlock[] {
    const rows: AdfTableRow[] = [];
    const before: AdfBlock[] = [];
    const addRow = (tr: Element): void => {
      const cells: AdfTableCell[] = [];
      for (const cell of tr.childNodes) {
        if (!isElement(cell) || (cell.tagName !== 'td' && cell.tagName !== 'th')) continue;
        const content = fitBlocks(this.blocks(cell.childNodes, marks, depth + 2), 'tableCell');
        const attrs: { colspan?: number; rowspan?: number } = {};
        const colspan = Number.parseInt(attr(cell, 'colspan') ?? '', 10);
        const rowspan = Number.parseInt(attr(cell, 'rowspan') ?? '', 10);
        if (colspan > 1 && colspan < 1000) attrs.colspan = colspan;
        if (rowspan > 1 && rowspan < 1000) attrs.rowspan = rowspan;
        cells.push({
          type: cell.tagName === 'th' ? 'tableHeader' : 'tableCell',
          ...(Object.keys(attrs).length > 0 ? { attrs } : {}),
          // A cell must hold at least one block; an empty paragraph is an empty cell.
          content: content.length > 0 ? content : [{ type: 'paragraph', content: [] }],
        });
      }
      if (cells.length > 0) rows.push({ type: 'tableRow', content: cells });
    };
    for (const child of el.childNodes) {
      if (!isElement(child)) continue;
      if (child.tagName === 'tr') addRow(child);
      else if (child.tagName === 'thead' || child.tagName === 'tbody' || child.tagName === 'tfoot') {
        for (const tr of child.childNodes) if (isElement(tr) && tr.tagName === 'tr') addRow(tr);
      } else if (child.tagName === 'caption') {
        before.push(...this.blocks(child.childNodes, { ...marks, strong: true }, depth + 1));
      }
    }
    return rows.length > 0 ? [...before, { type: 'table', content: rows }] : before;
  }
}

/**
 * Converts the HTML of a Teams message into an ADF document for a Jira description or
 * comment. The HTML is parsed as a browser would (parse5), then read element by element:
 * formatting becomes marks, structure becomes blocks, and everything that could run code or
 * only styles the text is dropped.
 */
export function htmlToAdf(html: string, options: HtmlToAdfOptions = {}): AdfDoc {
  const budget = new TextBudget(options.maxChars ?? DEFAULT_MAX_CHARS);
  const converter = new Converter(options, budget);
  const fragment = parseFragment(html);
  const content = converter.blocks(fragment.childNodes, {}, 0);
  if (budget.truncated) content.push({ type: 'paragraph', content: [{ type: 'text', text: TRUNCATION_NOTE, marks: [{ type: 'em' }] }] });
  return { type: 'doc', version: 1, content };
}
