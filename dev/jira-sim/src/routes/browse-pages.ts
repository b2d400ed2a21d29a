import type { Server } from 'restify';
import { adfToHtml } from '../render/adf-to-html';
import { avatarPng } from '../render/avatar-png';
import type { SiteState } from '../site/site-state';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * What a browser finds at the simulator's own links: a minimal issue page at `/browse/KEY` (so
 * "Open in Jira" and key links work locally) and each user's avatar as a disc in their own
 * colour. Real Jira asks for a login first and serves avatars from Atlassian's CDN; locally, the
 * demo site's people are no secret and there is no network.
 */
export function mountBrowsePages(server: Server, state: SiteState): void {
  // Drawing and deflating a PNG costs milliseconds of CPU, and every panel load asks for the same
  // few avatars again; kept for the site's users only (a bounded set), drawn anew for others.
  const avatars = new Map<string, Buffer>();
  server.get('/browse/:key', (req, res, next) => {
    const issue = state.issue(String(req.params.key ?? '').toUpperCase());
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (!issue) {
      res.writeHead(404);
      res.end(page('Not found', `<p>There is no issue ${escape(String(req.params.key ?? ''))} on this site.</p>`));
      return next(false);
    }
    const name = (accountId: unknown) => state.user(typeof accountId === 'string' ? accountId : undefined)?.displayName ?? 'Unassigned';
    const summary = String(issue.values.summary ?? '');
    const description = adfToHtml(issue.values.description as never) ?? '';
    res.writeHead(200);
    res.end(
      page(
        `${issue.key}: ${summary}`,
        `<p class="key">${escape(issue.key)} · ${escape(state.status(issue.statusId).name)}</p>
<h1>${escape(summary)}</h1>
<dl><dt>Assignee</dt><dd>${escape(name(issue.values.assignee))}</dd><dt>Reporter</dt><dd>${escape(name(issue.values.reporter))}</dd></dl>
<div class="description">${description}</div>`,
      ),
    );
    return next(false);
  });

  server.get('/sim-avatars/user/:file', (req, res, next) => {
    const accountId = String(req.params.file ?? '').replace(/\.png$/, '');
    const size = Math.min(Math.max(Number(req.query?.size) || 48, 16), 128);
    const known = state.site.users.some((u) => u.accountId === accountId);
    res.setHeader('content-type', 'image/png');
    res.setHeader('cache-control', 'public, max-age=86400');
    let png = known ? avatars.get(`${accountId}/${size}`) : undefined;
    if (!png) {
      png = avatarPng(accountId, size);
      if (known) avatars.set(`${accountId}/${size}`, png);
    }
    res.writeHead(known ? 200 : 404);
    res.end(png);
    return next(false);
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} - Jira (simulator)</title>
<style>body{font-family:system-ui,sans-serif;max-width:760px;margin:32px auto;padding:0 16px;color:#172b4d}.key{color:#5e6c84}dl{display:grid;grid-template-columns:120px 1fr}dt{color:#5e6c84}</style>
</head><body>${body}</body></html>`;
}
