/**
 * Logs carry ids, never secrets or personal data. Rather than list every path a token or an
 * email might sit at (pino's `redact` needs exact paths), every log object is walked once:
 * sensitive keys lose their values and free text loses anything shaped like a secret or an email.
 */
const SENSITIVE_KEY =
  /(token|secret|password|passwd|authorization|cookie|api[-_]?key|assertion|code[-_]?verifier|^code$|email|upn|userprincipalname|^text$|^body$|^summary$|^description$|^comment$|^message$|^html$|^content$)/i;

// Teams conversation ids look like addresses (19:...@thread.tacv2, @thread.skype, @unq.gbl.spaces): keep them.
const EMAIL = /[A-Z0-9._%+-]+@(?!thread\.|unq\.gbl\.)[A-Z0-9.-]+\.[A-Z]{2,}(?![A-Z0-9])/gi;
const BEARER_OR_BASIC = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

export const REDACTED = '[redacted]';

export function redactText(text: string): string {
  return text.replace(BEARER_OR_BASIC, `$1 ${REDACTED}`).replace(JWT, REDACTED).replace(EMAIL, '[email]');
}

export function redactLogValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactLogValue(item, depth + 1, seen));
  if (value instanceof Error) {
    return {
      type: value.name,
      message: redactText(value.message),
      code: (value as { code?: unknown }).code,
      stack: value.stack ? redactText(value.stack) : undefined,
    };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) && item !== undefined && item !== null ? REDACTED : redactLogValue(item, depth + 1, seen);
  }
  return out;
}
