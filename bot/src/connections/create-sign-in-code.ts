import { randomBytes } from 'node:crypto';

/** No 0/O, 1/I: the code is read off a web page and typed into Teams, often on a phone. */
export const SIGN_IN_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const LENGTH = 8;

/**
 * A one-time code the sign-in page shows and the user sends to the bot in Teams: 40 random bits,
 * shown as `ABCD-EFGH`. It is only ever checked against the sender's own pending sign-in, so
 * guessing one gets nobody connected; 40 bits keep two pending sign-ins from ever sharing one.
 */
export function createSignInCode(): string {
  const bytes = randomBytes(LENGTH);
  let code = '';
  // 256 is a multiple of 32, so masking keeps every letter equally likely.
  for (const byte of bytes) code += SIGN_IN_CODE_ALPHABET[byte & 31];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
