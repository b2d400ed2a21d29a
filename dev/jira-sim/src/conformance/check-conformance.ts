/**
 * Checks a request and response against Jira's published OpenAPI specs (../shared/ref/jira/).
 * Each spec is read and compiled once per test run, lazily, and validators are cached per
 * operation and status, so calling this after every request keeps the suite fast.
 *
 * ERRATA: where the spec contradicts Jira Cloud's own documentation, the documentation wins:
 * 1. Changelog items (ChangeDetails) carry `from`, `fromString`, `to`, `toString` as null for an empty
 *    end (no assignee before, no resolution after); the spec types them as plain strings.
 * 2. PUT /rest/api/3/issue/{issueIdOrKey}/assignee unassigns with `{"accountId": null}` (the
 *    operation's own description says so); its request schema, User, types accountId as a string.
 * 3. Any operation may answer 429 (Rate limiting page: burst, per-issue write and quota limits) and
 *    503 with Retry-After (transient); most operations list neither. Their bodies are not specified.
 * 4. The admin webhook API (/rest/webhooks/1.0/webhook, Webhooks page, "Registering a webhook via
 *    the REST API") is what API-token connections use; it is not in the specs, so it passes unchecked.
 * 5. Jira answers some 204s with `Content-Type: application/json` and no body; a bodiless 204 is
 *    never held against an operation that documents a JSON body.
 * 6. The Agile spec's security names only OAuth2, yet Jira takes Basic API-token auth on
 *    /rest/agile too; security blocks are not checked here (scopes are checked by the simulator's
 *    routes and by bot/test/jira/oauth-scopes.test.ts).
 * 7. A user's `displayName` may be null when the person keeps their name from apps (Profile visibility
 *    guide: hidden fields cannot be retrieved through the API; the spec's own UserPickerUser says "may
 *    be returned as null"), yet it, User, UserDetails and UserBean type it as a plain string.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const REF_DIR = process.env.JIRA_REF_DIR ?? join(__dirname, '..', '..', '..', '..', '..', 'shared', 'ref', 'jira');

type SpecName = 'platform' | 'agile';

interface Operation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface LoadedSpec {
  paths: Array<{ template: string; pattern: RegExp; literalSegments: number; methods: Record<string, Operation> }>;
}

export interface ExchangeToCheck {
  method: string;
  /** Request path as sent; a query string and the /ex/jira/{cloudId} gateway prefix are ignored. */
  path: string;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
}

export interface ConformanceResult {
  operation?: string;
  errors: string[];
}

const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
addFormats(ajv);
// OpenAPI's int32/int64 and Jira's custom formats carry no extra constraint for us.
for (const format of ['int32', 'int64', 'float', 'double', 'binary', 'byte', 'password']) ajv.addFormat(format, true);

/** Erratum 1: the changelog item fields Jira sends as null for an empty end. */
const NULLABLE_CHANGE_DETAILS = ['from', 'fromString', 'to', 'toString'];
/** Erratum 7: the user schemas whose display name Jira may withhold as null. */
const NULLABLE_DISPLAY_NAME = ['User', 'UserDetails', 'UserBean', 'UserPickerUser'];
/** Erratum 2: request schemas that also take what the operation's description allows. */
const REQUEST_ERRATA: Record<string, (schema: unknown) => unknown> = {
  'PUT /rest/api/3/issue/{issueIdOrKey}/assignee': (schema) => ({
    anyOf: [schema, { type: 'object', properties: { accountId: { type: 'null' } }, required: ['accountId'] }],
  }),
};
/** Erratum 3: answers any operation may give, beyond those it lists. */
const ANY_OPERATION_STATUSES = new Set([429, 503]);
/** Erratum 4: Jira APIs documented outside the two specs (path pattern, methods). */
const OUTSIDE_THE_SPECS: Array<{ pattern: RegExp; methods: string[]; name: string }> = [
  { pattern: /^\/rest\/webhooks\/1\.0\/webhook(\/\d+)?$/, methods: ['get', 'post', 'put', 'delete'], name: '/rest/webhooks/1.0/webhook' },
];

const specs = new Map<SpecName, LoadedSpec>();
const validators = new Map<string, ValidateFunction>();

function rewriteRefs(node: unknown, specId: SpecName): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, specId));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${specId}${value}` : rewriteRefs(value, specId);
  }
  return out;
}

function loadSpec(name: SpecName): LoadedSpec {
  const cached = specs.get(name);
  if (cached) return cached;
  const file = name === 'platform' ? 'openapi-platform.json' : 'openapi-agile.json';
  const raw = JSON.parse(readFileSync(join(REF_DIR, file), 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components: Record<string, unknown>;
  };
  const schemas = (raw.components as { schemas?: Record<string, { properties?: Record<string, { type?: unknown }> }> }).schemas;
  for (const field of NULLABLE_CHANGE_DETAILS) {
    const property = schemas?.ChangeDetails?.properties?.[field];
    if (property) property.type = ['string', 'null'];
  }
  for (const name of NULLABLE_DISPLAY_NAME) {
    const property = schemas?.[name]?.properties?.displayName;
    if (property) property.type = ['string', 'null'];
  }
  ajv.addSchema({ $id: name, components: rewriteRefs(raw.components, name) });
  const paths = Object.entries(raw.paths).map(([template, methods]) => {
    const segments = template.split('/');
    const pattern = new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`);
    return { template, pattern, literalSegments: segments.filter((s) => !/^\{.+\}$/.test(s)).length, methods };
  });
  // Prefer the most literal template: /issue/createmeta/{p}/issuetypes over /issue/{key}/{x}/...
  paths.sort((a, b) => b.literalSegments - a.literalSegments);
  const loaded = { paths };
  specs.set(name, loaded);
  return loaded;
}

function jsonSchemaOf(content: Record<string, { schema?: unknown }> | undefined): unknown {
  if (!content) return undefined;
  const entry = content['application/json'] ?? Object.entries(content).find(([type]) => type.includes('json'))?.[1];
  return entry?.schema;
}

function validatorFor(key: string, specId: SpecName, schema: unknown): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema, specId) as object);
    validators.set(key, validate);
  }
  return validate;
}

function describe(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Finds the operation and returns every way the exchange departs from the spec (empty when it conforms). */
export function checkConformance(exchange: ExchangeToCheck): ConformanceResult {
  const method = exchange.method.toLowerCase();
  const path = exchange.path.split('?')[0].replace(/^\/ex\/jira\/[^/]+/, '');
  const specId: SpecName = path.startsWith('/rest/agile/') ? 'agile' : 'platform';
  const outside = OUTSIDE_THE_SPECS.find((o) => o.pattern.test(path) && o.methods.includes(method));
  if (outside) return { operation: `${method.toUpperCase()} ${outside.name}`, errors: [] };
  const spec = loadSpec(specId);
  const found = spec.paths.find((p) => p.pattern.test(path) && p.methods[method]);
  if (!found) return { errors: [`no ${method.toUpperCase()} operation in the ${specId} spec matches ${path}`] };
  const operation = `${method.toUpperCase()} ${found.template}`;
  const op = found.methods[method];
  const errors: string[] = [];

  const specRequestSchema = jsonSchemaOf(op.requestBody?.content);
  const requestSchema = specRequestSchema && REQUEST_ERRATA[operation] ? REQUEST_ERRATA[operation](specRequestSchema) : specRequestSchema;
  if (requestSchema && exchange.requestBody !== undefined) {
    const validate = validatorFor(`${operation} request`, specId, requestSchema);
    if (!validate(exchange.requestBody)) errors.push(...describe(validate).map((e) => `request ${e}`));
  }

  const response = op.responses[String(exchange.status)] ?? op.responses.default;
  if (!response && ANY_OPERATION_STATUSES.has(exchange.status)) return { operation, errors };
  if (!response) {
    errors.push(`status ${exchange.status} is not documented for ${operation} (documented: ${Object.keys(op.responses).join(', ')})`);
    return { operation, errors };
  }
  const responseSchema = jsonSchemaOf(response.content);
  const hasBody = exchange.responseBody !== undefined && exchange.responseBody !== '';
  if (responseSchema && hasBody) {
    const validate = validatorFor(`${operation} ${exchange.status}`, specId, responseSchema);
    if (!validate(exchange.responseBody)) errors.push(...describe(validate).map((e) => `response ${e}`));
  } else if (responseSchema && !hasBody && exchange.status !== 204) {
    errors.push(`${operation} ${exchange.status} documents a JSON body but the response had none`);
  }
  return { operation, errors };
}

export function assertConforms(exchange: ExchangeToCheck): string {
  const result = checkConformance(exchange);
  if (result.errors.length) {
    throw new Error(
      `${exchange.method} ${exchange.path} -> ${exchange.status} does not conform to Jira's spec` +
        `${result.operation ? ` (${result.operation})` : ''}:\n  ${result.errors.join('\n  ')}`,
    );
  }
  return result.operation!;
}
