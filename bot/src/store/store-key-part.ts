/**
 * Azure Tables refuses `/`, `\`, `#`, `?` and control characters in partition and row keys, and
 * Teams conversation ids may hold any of them; percent-encoding keeps keys readable and ordered.
 */
export function storeKeyPart(value: string): string {
  return encodeURIComponent(value);
}
