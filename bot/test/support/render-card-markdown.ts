import MarkdownIt from 'markdown-it';

/**
 * A CommonMark renderer as permissive as any Teams client (raw HTML on), to check what a
 * TextBlock's text turns into. Escaped text must come out as the same characters, in <p> only.
 */
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

export function renderCardMarkdown(text: string): string {
  return markdown.render(text);
}

/** The characters a reader sees once the Markdown is rendered (tags dropped, entities decoded). */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}
