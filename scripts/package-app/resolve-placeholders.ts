/** The Toolkit's placeholder syntax: `${{NAME}}`, spaces inside the braces allowed. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export class UnresolvedPlaceholderError extends Error {
  constructor(
    readonly file: string,
    readonly names: string[],
    hint: string,
  ) {
    super(`${file}: no value for ${names.map((n) => `\${{${n}}}`).join(', ')}. ${hint}`);
    this.name = 'UnresolvedPlaceholderError';
  }
}

/** Every placeholder name in a template, once each, in order of first use. */
export function placeholderNames(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

export interface ResolveOptions {
  /** Told to the reader of the error: where a missing value should go. */
  hint?: string;
  /** Names that may be set to an empty string (a production build has no name suffix). */
  mayBeEmpty?: readonly string[];
}

/**
 * Substitutes placeholders in a JSON template. Values are JSON-string-escaped, so a quote or a
 * backslash in a value cannot break the document. An empty value counts as missing unless the
 * name is in `mayBeEmpty`: the other placeholders are ids and domains, and a blank one would
 * only fail later, in Teams, with a vaguer message.
 */
export function resolvePlaceholders(
  template: string,
  vars: Record<string, string | undefined>,
  file: string,
  { hint = 'Set it in env/.env.<environment>, env/.env.<environment>.user or the process environment.', mayBeEmpty = ['APP_NAME_SUFFIX'] }: ResolveOptions = {},
): string {
  const missing = placeholderNames(template).filter((name) => vars[name] === undefined || (vars[name] === '' && !mayBeEmpty.includes(name)));
  if (missing.length > 0) throw new UnresolvedPlaceholderError(file, missing, hint);
  return template.replace(PLACEHOLDER, (_, name: string) => JSON.stringify(vars[name] ?? '').slice(1, -1));
}
