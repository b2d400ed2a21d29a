import type { Next, Request, Response } from 'restify';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads the body once for every module on the server: JSON bodies become `req.body` objects
 * (malformed JSON is answered like Jira), anything else stays a string for the module that owns
 * the route (the OAuth token endpoint reads form bodies).
 */
export function readJsonBody(req: Request, res: Response, next: Next): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('error', (err) => next(err));
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) {
      res.send(413, { errorMessages: ['Request entity too large.'], errors: {} });
      return next(false);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const type = String(req.headers['content-type'] ?? '');
    const body = req as unknown as { body?: unknown; rawBody?: string };
    body.rawBody = raw;
    if (raw.trim() === '') {
      body.body = undefined;
      return next();
    }
    if (!type.includes('json')) {
      body.body = raw;
      return next();
    }
    try {
      body.body = JSON.parse(raw);
      return next();
    } catch (err) {
      res.send(400, { errorMessages: [`Unexpected character in JSON body: ${(err as Error).message}`], errors: {} });
      return next(false);
    }
  });
}
