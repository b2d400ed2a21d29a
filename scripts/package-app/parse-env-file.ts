/**
 * Reads the dotenv subset that the Toolkit writes to env/.env.* files: KEY=VALUE lines, `#`
 * comments, optional single or double quotes, `export ` prefixes. No interpolation: the Toolkit
 * does none either, and a file that means the same to both tools cannot surprise anyone.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rest] = match;
    vars[key] = unquote(rest);
  }
  return vars;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2) {
    const end = value.indexOf(quote, 1);
    if (end > 0) {
      const inner = value.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
    }
  }
  // An unquoted value ends at an inline comment, as in dotenv.
  return value.replace(/\s+#.*$/, '').trim();
}
