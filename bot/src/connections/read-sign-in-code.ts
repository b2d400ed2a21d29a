import { SIGN_IN_CODE_ALPHABET } from './create-sign-in-code';

/**
 * The sign-in code in a chat message, as stored (upper case, no dash), or undefined when the
 * message is not one. The dash is required (`abcd-efgh`, optionally after `connect`), so a
 * command with a short argument is never taken for a code.
 */
export function readSignInCode(text: string): string | undefined {
  const match = /^\s*(?:connect\s+)?([A-Za-z0-9]{4})-([A-Za-z0-9]{4})\s*$/i.exec(text);
  if (!match) return undefined;
  const code = `${match[1]}${match[2]}`.toUpperCase();
  return [...code].every((c) => SIGN_IN_CODE_ALPHABET.includes(c)) ? code : undefined;
}
