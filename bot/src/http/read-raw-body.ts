import type { Request } from 'restify';

/** The largest request body the service reads: well above any Teams activity or Jira webhook. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * A request's body as the bytes that came, for routes that verify a signature over them. Past
 * `limit` the rest is read and dropped (so the connection stays usable) and the answer is
 * 'too large'; a compressed body is 'unsupported', as no sender of these routes compresses.
 */
export function readRawBody(req: Request, limit = MAX_BODY_BYTES): Promise<Buffer | 'too large' | 'unsupported'> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    req.resume();
    return Promise.resolve('unsupported');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > limit ? 'too large' : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}
