import type { Server } from 'restify';

/**
 * The manifest's developer links (website, privacy, terms) point at the service's own domain,
 * so it answers them with short, static pages instead of 404s.
 */
const PAGES: Record<string, { title: string; body: string }> = {
  '/': {
    title: 'Jira Connector for Teams',
    body: `<p>This service connects Microsoft Teams with Jira Cloud: issue cards, alerts and message actions.
      Add the app in Teams and type <strong>help</strong> in a chat with it.</p>
      <p><a href="/privacy">Privacy</a> · <a href="/terms">Terms of use</a></p>`,
  },
  '/privacy': {
    title: 'Privacy',
    body: `<p>Each person connects their own Jira account. The service stores, per connected person, the Jira
      site, the Jira account id and name, and the OAuth or API tokens, encrypted with AES-256-GCM. For each
      conversation the app is installed in, it stores the Teams conversation reference needed to post
      messages there. It does not store message text, and its logs carry ids only: no tokens, emails or
      message text.</p>
      <p>Type <strong>disconnect</strong> in a chat with the bot to delete your connection and its tokens.
      Uninstalling the app from a conversation deletes that conversation's reference.</p>`,
  },
  '/terms': {
    title: 'Terms of use',
    body: `<p>This is open-source software, provided as is, without warranty of any kind. The organisation that
      runs this service decides who may use it; your use of Jira stays subject to your Jira site's terms.</p>`,
  },
};

export function mountAppPages(server: Server): void {
  for (const [path, page] of Object.entries(PAGES)) {
    server.get(path, async (_req, res) => {
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${page.title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.5">
<h1>${page.title}</h1>${page.body}</body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'public, max-age=3600' });
      res.end(html);
    });
  }
}
