import type { Request } from 'restify';

/**
 * Reads a JSON or form-encoded body as flat string fields. The token endpoint accepts both, as
 * auth.atlassian.com does, and this works whether or not the host server installed restify's body parser.
 */
export async function readRequestBody(req: Request): Promise<Record<string, string>> {
  const parsed = (req as { body?: unknown }).body;
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) {
    return stringFields(parsed as Record<string, unknown>);
  }
  const raw = parsed !== undefined && parsed !== null ? String(parsed) : await readStream(req);
  if (raw.trim() === '') return {};
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' ? stringFields(value as Record<string, unknown>) : {};
  } catch {
    return Object.fromEntries(new URLSearchParams(raw));
  }
}

function stringFields(value: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') fields[key] = String(field);
  }
  return fields;
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
