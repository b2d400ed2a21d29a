/**
 * Shortens plain text to `max` characters with an ellipsis, on a word boundary when one is
 * close. Clip before escaping: cutting escaped text could leave half an escape.
 */
export function clipText(text: string, max: number): string {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let end = Math.max(max - 1, 0);
  const space = flat.lastIndexOf(' ', end);
  if (space > end * 0.6) end = space;
  if (/[\uD800-\uDBFF]/.test(flat[end - 1] ?? '')) end -= 1;
  return `${flat.slice(0, end).trimEnd()}…`;
}
