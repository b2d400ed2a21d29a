import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// Until the core's test/support/openapi-conformance.ts exists, the dynamic webhook bodies are checked
// against the platform spec's component schemas directly.
const SPEC_PATH = path.resolve(__dirname, '../../../../../shared/ref/jira/openapi-platform.json');
const SPEC_ID = 'jira-platform';

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorFor(schemaName: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
    ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { components: unknown };
    ajv.addSchema({ $id: SPEC_ID, components: spec.components });
  }
  let validate = validators.get(schemaName);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}#/components/schemas/${schemaName}` });
    validators.set(schemaName, validate);
  }
  return validate;
}

/** Fails the test when value does not conform to the named schema of the Jira platform OpenAPI spec. */
export function assertMatchesSpecSchema(schemaName: string, value: unknown): void {
  const validate = validatorFor(schemaName);
  assert.ok(validate(value), `${schemaName}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(value)}`);
}
