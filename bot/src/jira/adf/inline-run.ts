import type { AdfInline, AdfMark } from './adf-node';

const COLLAPSIBLE = /[ \t\n\r\f\u00a0]+/g;

function sameMarks(a: AdfMark[] | undefined, b: AdfMark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/**
 * Collects the inline content of one paragraph the way a browser lays out HTML text:
 * whitespace runs collapse to one space, spaces at line starts and ends disappear, and
 * adjacent text with the same marks becomes one node. ADF forbids empty text nodes, so
 * none is ever kept.
 */
export class InlineRun {
  private nodes: AdfInline[] = [];

  get isEmpty(): boolean {
    return this.nodes.length === 0;
  }

  text(raw: string, marks: AdfMark[]): void {
    let text = raw.replace(COLLAPSIBLE, ' ');
    if (text.startsWith(' ') && this.atLineStartOrAfterSpace()) text = text.slice(1);
    if (text === '') return;
    const last = this.nodes[this.nodes.length - 1];
    if (last?.type === 'text' && sameMarks(last.marks, marks)) {
      last.text += text;
      return;
    }
    this.nodes.push(marks.length > 0 ? { type: 'text', text, marks } : { type: 'text', text });
  }

  mention(accountId: string, name: string): void {
    const last = this.nodes[this.nodes.length - 1];
    const before = this.nodes[this.nodes.length - 2];
    // Teams splits one person's mention into one <at> per word of the name ("Ann" "Lee");
    // both point to the same account and must read as one mention.
    if (last?.type === 'mention' && last.attrs.id === accountId) {
      last.attrs.text += name;
      return;
    }
    if (last?.type === 'text' && last.text.trim() === '' && before?.type === 'mention' && before.attrs.id === accountId) {
      this.nodes.pop();
      before.attrs.text += ` ${name}`;
      return;
    }
    this.nodes.push({ type: 'mention', attrs: { id: accountId, text: `@${name}` } });
  }

  hardBreak(): void {
    this.trimEnd(false);
    this.nodes.push({ type: 'hardBreak' });
  }

  /** The collected content, trimmed of edge spaces and breaks; the run starts over empty. */
  take(): AdfInline[] {
    this.trimEnd(true);
    while (this.nodes[0]?.type === 'hardBreak') this.nodes.shift();
    const first = this.nodes[0];
    if (first?.type === 'text') {
      first.text = first.text.replace(/^ +/, '');
      if (first.text === '') this.nodes.shift();
    }
    const taken = this.nodes;
    this.nodes = [];
    return taken;
  }

  private atLineStartOrAfterSpace(): boolean {
    const last = this.nodes[this.nodes.length - 1];
    if (!last || last.type === 'hardBreak') return true;
    return last.type === 'text' && last.text.endsWith(' ');
  }

  private trimEnd(breaksToo: boolean): void {
    for (;;) {
      const last = this.nodes[this.nodes.length - 1];
      if (last?.type === 'hardBreak' && breaksToo) {
        this.nodes.pop();
        continue;
      }
      if (last?.type === 'text') {
        const trimmed = last.text.replace(/ +$/, '');
        if (trimmed === '') {
          this.nodes.pop();
          continue;
        }
        last.text = trimmed;
      }
      return;
    }
  }
}
