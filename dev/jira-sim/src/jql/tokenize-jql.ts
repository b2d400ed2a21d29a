import { JqlError } from './jql-error';

export type JqlTokenType = 'word' | 'string' | 'operator' | 'lparen' | 'rparen' | 'comma' | 'bang' | 'and' | 'or' | 'eof';

export interface JqlToken {
  type: JqlTokenType;
  /** As typed, for messages. */
  text: string;
  /** Unescaped; for strings, without the quotes. */
  value: string;
  offset: number;
}

// Characters Jira reserves outside quoted strings; `[` and `]` are allowed only in `cf[123]`.
const RESERVED = new Set(['{', '}', '[', ']', '%', '^', '$', '#', '@', ';', '?', '*']);
const WORD_END = new Set(['=', '!', '<', '>', '~', '(', ')', ',', '"', "'", '&', '|']);
// Sticky, so matching at a word's start never copies the rest of the query.
const CUSTOM_FIELD = /cf\[\d+\]/iy;
const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', t: '\t', n: '\n', r: '\r', ' ': ' ' };

export function tokenizeJql(text: string): JqlToken[] {
  const tokens: JqlToken[] = [];
  let i = 0;
  const push = (type: JqlTokenType, length: number, value?: string) => {
    const raw = text.slice(i, i + length);
    tokens.push({ type, text: raw, value: value ?? raw, offset: i });
    i += length;
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const { value, end } = readQuoted(text, i);
      push('string', end - i, value);
    } else if (c === '(') push('lparen', 1);
    else if (c === ')') push('rparen', 1);
    else if (c === ',') push('comma', 1);
    else if (c === '&') push('and', next === '&' ? 2 : 1);
    else if (c === '|') push('or', next === '|' ? 2 : 1);
    else if (c === '!') {
      if (next === '=' || next === '~') push('operator', 2);
      else push('bang', 1);
    } else if (c === '<' || c === '>') push('operator', next === '=' ? 2 : 1);
    else if (c === '=' || c === '~') push('operator', 1);
    else if (RESERVED.has(c)) throw reservedCharacter(text, i);
    else {
      const { value, end } = readWord(text, i);
      push('word', end - i, value);
    }
  }
  tokens.push({ type: 'eof', text: 'EOF', value: '', offset: text.length });
  return tokens;
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const escaped = readEscape(text, i);
      value += escaped.char;
      i = escaped.end;
    } else {
      value += c;
      i++;
    }
  }
  throw JqlError.syntax(`The quoted string '${text.slice(start + 1)}' has not been completed.`, text, start);
}

function readWord(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start;
  CUSTOM_FIELD.lastIndex = start;
  const customField = CUSTOM_FIELD.exec(text);
  if (customField) return { value: customField[0], end: start + customField[0].length };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c) || WORD_END.has(c)) break;
    if (RESERVED.has(c)) throw reservedCharacter(text, i);
    if (c === '\\') {
      const escaped = readEscape(text, i);
      value += escaped.char;
      i = escaped.end;
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: i };
}

function readEscape(text: string, at: number): { char: string; end: number } {
  const c = text[at + 1];
  if (c !== undefined && c in ESCAPES) return { char: ESCAPES[c], end: at + 2 };
  if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
    return { char: String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16)), end: at + 6 };
  }
  const sequence = c === 'u' ? text.slice(at, at + 6) : text.slice(at, at + 2);
  throw JqlError.syntax(`'${sequence}' is an illegal JQL escape sequence. The valid escape sequences are \\', \\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX.`, text, at);
}

function reservedCharacter(text: string, at: number): JqlError {
  const c = text[at];
  const code = c.charCodeAt(0).toString(16).padStart(4, '0');
  return JqlError.syntax(`The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`, text, at);
}
