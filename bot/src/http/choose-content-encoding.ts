export type ContentCoding = 'br' | 'gzip';

/**
 * The content coding to answer a request's Accept-Encoding with (RFC 9110, section 12.5.3): brotli or
 * gzip, whichever the client weighs higher (brotli on a tie: smaller), `*` standing for codings it
 * does not name. Undefined: send the file as it is (no header, both refused, or identity weighed
 * higher than either).
 */
export function chooseContentEncoding(header: string | undefined): ContentCoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  const br = weightOf('br');
  const gzip = weights.get('gzip') ?? weights.get('x-gzip') ?? weightOf('gzip');
  const best = Math.max(br, gzip);
  if (best <= 0 || (weights.get('identity') ?? 0) > best) return undefined;
  return br >= gzip ? 'br' : 'gzip';
}
