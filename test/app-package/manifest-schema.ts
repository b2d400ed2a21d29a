import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/** Microsoft's published schemas, kept beside the repository in shared/ref (see its README). */
export const MANIFEST_SCHEMA_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'ref', 'teams', 'manifest-schema');

export type SchemaKind = 'MicrosoftTeams' | 'MicrosoftTeams.Localization';

export function readManifestSchema(manifestVersion: string, kind: SchemaKind): Record<string, unknown> {
  const file = path.join(MANIFEST_SCHEMA_DIR, `v${manifestVersion}`, `${kind}.schema.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`No published schema for manifest version ${manifestVersion} at ${file}: pick a version that exists there.`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const compiled = new Map<string, ValidateFunction>();

/** A draft-04 validator for one of the official schemas, reporting every error, not the first. */
export function manifestValidator(manifestVersion: string, kind: SchemaKind): ValidateFunction {
  const key = `${manifestVersion}/${kind}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  // strict: false because the published schemas carry keywords (e.g. `const` notes, `deprecated`)
  // that draft-04 Ajv would otherwise refuse; they do not change what is valid.
  // The localization schema's patterns (e.g. `activityTypes\[\b(...)\b]`) are valid JavaScript
  // regular expressions only without the `u` flag Ajv adds by default.
  const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: withoutUnicodeFlag } });
  addFormats(ajv);
  const validate = ajv.compile(readManifestSchema(manifestVersion, kind));
  compiled.set(key, validate);
  return validate;
}

const withoutUnicodeFlag = Object.assign((pattern: string, flags: string) => new RegExp(pattern, flags.replace('u', '')), {
  code: 'new RegExp',
});

export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');
}
