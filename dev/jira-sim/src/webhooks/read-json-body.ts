import type { Request } from 'restify';

export class MalformedBodyError extends Error {}

/**
 * The request's JSON body, whether or not the host server installed restify's body parser
 * (the core server may; the tests' bare servers do not).
 */
export async function readJsonBody(req: Request): Promise<unknown> {
  const parsed = (req as { body?: unknown }).body;
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) return parsed;
  const raw = parsed !== undefined && parsed !== null ? String(parsed) : await readStream(req);
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new MalformedBodyError('Unexpected character in the request body: it is not valid JSON.');
  }
}

function readStream(req: Request): Promise<string> {
  if (req.readableEnded) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
