const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * True when JSON text nests objects and arrays deeper than `maxDepth`. Read over the raw bytes
 * before parsing, in one pass and without recursion, so a hostile body is refused before any
 * recursive code (ours, a library's, JSON.stringify) could overflow the stack on it. Brackets
 * inside strings do not count; UTF-8 continuation bytes never equal an ASCII bracket or quote.
 * A string is skipped with one native search for its closing quote (most of a webhook's bytes are
 * in strings), then the backslashes before that quote say whether it was escaped.
 */
export function exceedsJsonDepth(raw: Uint8Array, maxDepth: number): boolean {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let depth = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      for (;;) {
        const end = bytes.indexOf(QUOTE, i + 1);
        // Unterminated: no more brackets outside a string.
        if (end < 0) return false;
        i = end;
        let before = end - 1;
        while (bytes[before] === BACKSLASH) before -= 1;
        // An even run of backslashes escapes each other, not the quote.
        if ((end - 1 - before) % 2 === 0) break;
      }
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth -= 1;
    }
  }
  return false;
}
