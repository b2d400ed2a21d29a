import { Writable } from 'node:stream';

/** A pino destination that keeps what was written, for assertions on log content. */
export function captureLogs(): { lines: () => Array<Record<string, unknown>>; raw: () => string; stream: Writable } {
  let buffer = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      buffer += chunk.toString();
      done();
    },
  });
  return {
    stream,
    raw: () => buffer,
    lines: () =>
      buffer
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
