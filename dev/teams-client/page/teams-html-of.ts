/**
 * What Teams makes of a typed message: its HTML (bold, italic, inline code, code blocks, bulleted
 * and numbered lists, @mentions as `<at id="N">`), the plain text the bot reads (mentions as
 * `<at>Name</at>`), and the mentioned people in order, as the activity's mention entities and a
 * message action's messagePayload list them.
 */
export interface Mentionable {
  id: string;
  name: string;
  aadObjectId?: string;
}

export interface TeamsHtml {
  html: string;
  text: string;
  mentions: Mentionable[];
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function teamsHtmlOf(typed: string, people: readonly Mentionable[]): TeamsHtml {
  const mentions: Mentionable[] = [];
  // Longest names first, so "@Bob Builder" is not taken for someone called "Bob".
  const byName = [...people].sort((a, b) => b.name.length - a.name.length);
  const mentionAt = (line: string, at: number): Mentionable | undefined =>
    byName.find((p) => line.startsWith(`@${p.name}`, at) && !/[\p{L}\p{N}]/u.test(line[at + p.name.length + 1] ?? ''));

  /** One line of text with its inline formatting and mentions, as HTML and as plain text. */
  const inline = (line: string): { html: string; text: string } => {
    let html = '';
    let text = '';
    let plain = '';
    const flush = () => {
      html += formatInline(escape(plain));
      text += plain;
      plain = '';
    };
    for (let i = 0; i < line.length; i++) {
      const person = line[i] === '@' ? mentionAt(line, i) : undefined;
      if (!person) {
        plain += line[i];
        continue;
      }
      flush();
      let index = mentions.findIndex((m) => m.id === person.id);
      if (index < 0) index = mentions.push(person) - 1;
      html += `<at id="${index}">${escape(person.name)}</at>`;
      text += `<at>${person.name}</at>`;
      i += person.name.length;
    }
    flush();
    return { html, text };
  };

  const blocks: string[] = [];
  const texts: string[] = [];
  const lines = typed.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim().startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith('```'); i++) code.push(lines[i]);
      blocks.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`);
      texts.push(code.join('\n'));
      continue;
    }
    const list = /^\s*(?:[-*]|\d+\.)\s+/.exec(line);
    if (list) {
      const ordered = /\d/.test(list[0]);
      const items: string[] = [];
      for (; i < lines.length; i++) {
        const item = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(lines[i]);
        if (!item || /\d/.test(lines[i].trim()[0]) !== ordered) break;
        const { html, text } = inline(item[1]);
        items.push(`<li>${html}</li>`);
        texts.push(`${ordered ? `${items.length}.` : '-'} ${text}`);
      }
      i--;
      blocks.push(`<${ordered ? 'ol' : 'ul'}>${items.join('')}</${ordered ? 'ol' : 'ul'}>`);
      continue;
    }
    if (line.trim() === '') continue;
    const { html, text } = inline(line);
    blocks.push(`<p>${html}</p>`);
    texts.push(text);
  }
  return { html: blocks.join(''), text: texts.join('\n'), mentions };
}

/** `code`, **bold**, *italic* and _italic_ inside one escaped line; code first, so its stars stay stars. */
function formatInline(escaped: string): string {
  return escaped
    .split(/(`[^`]+`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? `<code>${part.slice(1, -1)}</code>`
        : part
            .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
            .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>')
            .replace(/(^|[^\w_])_([^_\s][^_]*)_(?!\w)/g, '$1<em>$2</em>'),
    )
    .join('');
}
