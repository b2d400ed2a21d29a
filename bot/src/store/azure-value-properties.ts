/**
 * Spreads a value's JSON over string properties of one Azure Tables entity. A string property
 * holds at most 64 KiB of UTF-16 (32,768 characters) and a whole entity at most 1 MiB, so the
 * JSON is cut into chunks of 32,000 characters in properties `json0`, `json1`, ... and anything
 * longer than fits in one entity with room for its keys is refused.
 */
export const CHUNK_CHARS = 32_000;
/** 15 chunks: 960,000 bytes of UTF-16, leaving room under 1 MiB for keys and per-property overhead. */
export const MAX_JSON_CHARS = 15 * CHUNK_CHARS;

export class StoreValueTooLargeError extends Error {
  readonly code = 'STORE_VALUE_TOO_LARGE';
  constructor(where: string, chars: number) {
    super(`Store value for ${where} is ${chars} characters of JSON; Azure Tables holds at most ${MAX_JSON_CHARS} per item`);
    this.name = 'StoreValueTooLargeError';
  }
}

export function toValueProperties(json: string, where: string): Record<string, string> {
  if (json.length > MAX_JSON_CHARS) throw new StoreValueTooLargeError(where, json.length);
  const properties: Record<string, string> = {};
  let start = 0;
  for (let i = 0; start < json.length || i === 0; i++) {
    let end = Math.min(start + CHUNK_CHARS, json.length);
    // Never split a surrogate pair: each half alone is not valid UTF-16 text for the service.
    if (end < json.length && isHighSurrogate(json.charCodeAt(end - 1))) end--;
    properties[`json${i}`] = json.slice(start, end);
    start = end;
  }
  return properties;
}

export function fromValueProperties(entity: Record<string, unknown>): string {
  let json = '';
  for (let i = 0; typeof entity[`json${i}`] === 'string'; i++) json += entity[`json${i}`] as string;
  return json;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
