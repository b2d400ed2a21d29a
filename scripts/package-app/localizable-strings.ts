/**
 * The manifest strings Teams translates, as paths in the Localization schema's notation
 * (`bots[0].commandLists[1].commands[2].title`). This list covers what the app declares or will
 * declare (docs/manifest.md); the schema's own `patternProperties` are the authority, and
 * test/app-package checks that the two agree on the current manifest.
 */
const LOCALIZABLE: readonly RegExp[] = [
  /^name\.(short|full)$/,
  /^description\.(short|full)$/,
  /^staticTabs\[\d+\]\.name$/,
  /^bots\[0\]\.commandLists\[\d+\]\.commands\[\d+\]\.(title|description)$/,
  /^composeExtensions\[0\]\.commands\[\d+\]\.(title|description|taskInfo\.title)$/,
  /^composeExtensions\[0\]\.commands\[\d+\]\.parameters\[\d+\]\.(title|description|value)$/,
  /^composeExtensions\[0\]\.commands\[\d+\]\.parameters\[\d+\]\.choices\[\d+\]\.title$/,
  /^composeExtensions\[0\]\.commands\[\d+\]\.samplePrompts\[\d+\]\.text$/,
];

/** Every string leaf of a JSON value with its path, e.g. `['bots[0].botId', '...']`. */
export function stringLeaves(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[prefix, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, `${prefix}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, prefix ? `${prefix}.${key}` : key));
  }
  return [];
}

/** The default-language file's content for a manifest: every translatable string, keyed by path. */
export function localizableStrings(manifest: unknown, patterns: readonly RegExp[] = LOCALIZABLE): Record<string, string> {
  return Object.fromEntries(stringLeaves(manifest).filter(([path]) => patterns.some((p) => p.test(path))));
}
