const PINO_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const SKIPPED = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'v']);

/** Turns a pino JSON line into `HH:MM:SS level message key=value`; other lines pass unchanged. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (record.msg === undefined) return line;
  const level = typeof record.level === 'number' ? (PINO_LEVELS[record.level] ?? String(record.level)) : String(record.level ?? '');
  const time = typeof record.time === 'string' || typeof record.time === 'number' ? new Date(record.time).toISOString().slice(11, 19) : '';
  const extras = Object.entries(record)
    .filter(([key]) => !SKIPPED.has(key))
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [time, level.padEnd(5), String(record.msg), ...extras].filter(Boolean).join(' ');
}

function formatValue(value: unknown): string {
  if (value !== null && typeof value === 'object') {
    const error = value as { message?: unknown; type?: unknown };
    if (typeof error.message === 'string') return JSON.stringify(error.message);
    return JSON.stringify(value);
  }
  return typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : String(value);
}
