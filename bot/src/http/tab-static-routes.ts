import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { chooseContentEncoding } from './choose-content-encoding';
import { staticFileCache, type StaticFile } from './static-file-cache';

export const TAB_PATH = '/tab';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** Types worth compressing: text, and the binary formats that are not compressed already. */
const COMPRESSIBLE = /^(text\/|application\/(json|manifest\+json)|image\/(svg\+xml|x-icon)|font\/ttf)/;

/** Vite names built assets `assets/<name>-<hash>.<ext>`: a new build gets new names, so they never change. */
const HASHED_ASSET = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tab not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; line-height: 1.5">
<h1>The tab is not built</h1><p>This service serves the grooming tab from <code>tab/dist</code>, which does not exist yet.
Run <code>npm run build:tab</code> and reload.</p></body></html>`;

/**
 * Serves the built tab (tab/dist) at /tab/: index.html for /tab/, each file with its content type,
 * hashed assets cached for a year, everything else revalidated so a deployment shows at once.
 * Text files go out in brotli or gzip when the browser takes it (compressed once per process, kept
 * in memory), with an ETag per content and coding, and a 304 when the browser's copy is current.
 * A missing build is a 503 page saying how to build it, not a bare 404.
 */
export function tabStaticRoutes(options: { distDir: string }): (server: Server) => void {
  const root = path.resolve(options.distDir);
  const files = staticFileCache();

  const serve = async (req: Request, res: Response) => {
    const rest = decodeSafely(req.path().slice(`${TAB_PATH}/`.length));
    const relative = rest === undefined || rest === '' ? 'index.html' : rest;
    const file = path.resolve(root, relative);
    if (rest === undefined || (file !== root && !file.startsWith(root + path.sep)) || relative.split('/').some((part) => part.startsWith('.'))) {
      notFound(res);
      return;
    }
    const hashed = HASHED_ASSET.test(relative);
    let found: StaticFile;
    try {
      // A hashed asset's stat is the one request-time disk call left on the tab's first load.
      found = await files.read(file, { immutable: hashed });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && !(await exists(path.join(root, 'index.html')))) {
        res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(NOT_BUILT);
        return;
      }
      notFound(res);
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const cache = hashed ? 'public, max-age=31536000, immutable' : relative === 'index.html' ? 'no-cache' : 'public, max-age=300, must-revalidate';
    const compressible = COMPRESSIBLE.test(type);
    const coding = compressible ? chooseContentEncoding(req.headers['accept-encoding']) : undefined;
    const encoded = coding ? await found.encoded(coding) : undefined;
    const headers = {
      'cache-control': cache,
      etag: `"${found.hash}${encoded ? `-${coding}` : ''}"`,
      ...(compressible ? { vary: 'Accept-Encoding' } : {}),
      'x-content-type-options': 'nosniff',
      ...(relative === 'index.html' && isLoopbackHost(req.headers.host) ? { 'content-security-policy': LOCAL_RUN_CSP } : {}),
    };
    if (isCurrent(req.headers['if-none-match'], found.hash)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const body = encoded ?? found.body;
    res.writeHead(200, { ...headers, 'content-type': type, 'content-length': body.length, ...(encoded ? { 'content-encoding': coding } : {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return (server) => {
    server.get(TAB_PATH, async (req: Request, res: Response) => {
      const query = (req.url ?? '').split('?')[1];
      res.writeHead(308, { location: `${TAB_PATH}/${query ? `?${query}` : ''}` });
      res.end();
    });
    server.get(`${TAB_PATH}/*`, serve);
    server.head(`${TAB_PATH}/*`, serve);
  };
}

/**
 * A local run (the page asked for on a loopback host, as npm start and the browser tests do) stays on
 * the machine: the page may connect to its own origin only. teams-js fetches its list of Teams host
 * origins from res.cdn.office.net as soon as it loads, with no option to skip it; the browser refuses
 * that fetch before any request is made, and teams-js uses the list it bundles instead.
 */
const LOCAL_RUN_CSP = "connect-src 'self'";

function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
}

/**
 * Whether If-None-Match names this content (weak comparison, RFC 9110 section 13.1.2), in any coding:
 * the browser keeps the copy it has, whichever coding it came in.
 */
function isCurrent(header: string | undefined, hash: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const opaque = tag.trim().replace(/^W\//, '');
    return opaque === '*' || opaque.replace(/^"(.*)"$/, '$1').replace(/-(br|gzip)$/, '') === hash;
  });
}

function decodeSafely(value: string): string | undefined {
  try {
    const decoded = decodeURIComponent(value);
    return decoded.includes('\0') || decoded.includes('\\') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

function notFound(res: Response): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('Not found');
}
