/** Tags a Teams message's HTML keeps when the client shows it; anything else shows as its text. */
const ALLOWED = new Set(['P', 'BR', 'STRONG', 'B', 'EM', 'I', 'CODE', 'PRE', 'UL', 'OL', 'LI', 'AT', 'SPAN']);

/**
 * A person's message as the page shows it: the HTML another window sent, rebuilt from an allow
 * list with no attributes, so a message can format but never script or restyle the page.
 */
export function safeMessageHtml(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body;
  const out = document.createDocumentFragment();
  const copy = (from: Node, to: Node) => {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(child.textContent ?? ''));
      } else if (child instanceof Element) {
        if (!ALLOWED.has(child.tagName)) {
          copy(child, to);
          continue;
        }
        // <at> is Teams' mention; shown as a highlighted name.
        const made = document.createElement(child.tagName === 'AT' ? 'span' : child.tagName.toLowerCase());
        if (child.tagName === 'AT') made.className = 'mention';
        copy(child, made);
        to.appendChild(made);
      }
    }
  };
  copy(parsed, out);
  return out;
}
