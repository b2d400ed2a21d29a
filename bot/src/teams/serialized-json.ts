/**
 * Answers the service sends again and again (an unfurl card served from the issue cache, for the
 * same user, until the issue changes) are serialized once, when they are made, instead of on
 * every request: JSON.stringify of a 4 KB card was a tenth of what a warm unfurl cost over a
 * static one. The value is frozen, so the string stays what it says.
 */
const serialized = new WeakMap<object, string>();

export function serializeOnce<T extends object>(value: T): T {
  if (!serialized.has(value)) serialized.set(value, JSON.stringify(deepFreeze(value)));
  return value;
}

/**
 * The JSON text of an invoke answer's body when it is `{ <name>: value }` with `value` made by
 * serializeOnce (teams-ai wraps a handler's result that way, e.g. `{ composeExtension: result }`);
 * undefined for any other body, which is serialized as usual.
 */
export function serializedBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const names = Object.keys(body);
  if (names.length !== 1) return undefined;
  const value = (body as Record<string, unknown>)[names[0]];
  const text = typeof value === 'object' && value !== null ? serialized.get(value) : undefined;
  return text === undefined ? undefined : `{${JSON.stringify(names[0])}:${text}}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
