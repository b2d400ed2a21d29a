/**
 * Lexicographic ranks in the spirit of Jira's LexoRank ("0|i0000b:"): ordering is plain string
 * order, and a rank can always be made between two neighbours without renumbering others.
 */
const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';
const PREFIX = '0|';

export function initialRank(index: number): string {
  return PREFIX + ((index + 1) * 4096).toString(36).padStart(6, '0');
}

/** A rank strictly between `before` and `after`; either may be absent (start or end of the list). */
export function rankBetween(before: string | null, after: string | null): string {
  const low = before ? before.slice(PREFIX.length) : '';
  let high: string | null = after ? after.slice(PREFIX.length) : null;
  let out = '';
  for (let i = 0; ; i++) {
    const lowDigit = i < low.length ? DIGITS.indexOf(low[i]) : 0;
    const highDigit = high !== null && i < high.length ? DIGITS.indexOf(high[i]) : DIGITS.length;
    if (highDigit - lowDigit > 1) return PREFIX + out + DIGITS[Math.floor((lowDigit + highDigit) / 2)];
    out += DIGITS[lowDigit];
    // Once this digit is below the upper bound's, the remaining digits are unbounded above.
    if (highDigit - lowDigit === 1) high = null;
  }
}
