import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_OAUTH_SCOPES } from '../../src/connections/oauth-connect-flow';

const ROOT = path.resolve(__dirname, '../../..');
const REF = process.env.JIRA_REF_DIR ?? path.resolve(ROOT, '../shared/ref/jira');
const JIRA_JS = path.dirname(require.resolve('jira.js/package.json', { paths: [path.join(ROOT, 'bot')] }));

/** Jira REST calls the service makes without jira.js (connecting reads who consented). */
const DIRECT_CALLS = [{ via: 'connections/atlassian-auth-client.ts', method: 'GET', path: '/rest/api/3/myself' }];

interface Operation {
  via: string;
  method: string;
  path: string;
}

interface SpecOperation {
  security?: Array<Record<string, string[]>>;
  'x-atlassian-oauth2-scopes'?: Array<{ scheme: string; scopes: string[]; state: string }>;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every `jira.v3.<group>.<method>` and `jira.agile.<group>.<method>` the service's source calls. */
function jiraJsCalls(): Array<{ api: 'v3' | 'agile'; group: string; method: string; file: string }> {
  const calls = new Map<string, { api: 'v3' | 'agile'; group: string; method: string; file: string }>();
  for (const file of sourceFiles(path.join(ROOT, 'bot/src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\bjira\.(v3|agile)\.(\w+)\.(\w+)\b/g)) {
      const [, api, group, method] = match as unknown as [string, 'v3' | 'agile', string, string];
      calls.set(`${api}.${group}.${method}`, { api, group, method, file: path.relative(path.join(ROOT, 'bot/src'), file) });
    }
  }
  return [...calls.values()];
}

/** The HTTP method and path jira.js sends for one of its methods, read from its own source. */
function httpOf(api: 'v3' | 'agile', group: string, method: string): { method: string; path: string } {
  const dir = path.join(JIRA_JS, 'dist/esm', api === 'v3' ? 'version3' : 'agile');
  // The client's property names its module, but not always in the same case (jql -> jQL.mjs).
  const name = fs.readdirSync(dir).find((entry) => entry.toLowerCase() === `${group.toLowerCase()}.mjs`);
  assert.ok(name, `jira.js has no ${api}.${group}`);
  const file = path.join(dir, name);
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf(`async ${method}(`);
  assert.ok(start >= 0, `jira.js has no ${api}.${group}.${method}`);
  const body = text.slice(start, text.indexOf('async ', start + 1) === -1 ? undefined : text.indexOf('async ', start + 1));
  const url = /url:\s*[`'"]([^`'"]+)[`'"]/.exec(body)?.[1];
  const verb = /method:\s*'(\w+)'/.exec(body)?.[1];
  assert.ok(url && verb, `cannot read the request of ${api}.${group}.${method}`);
  return { method: verb, path: url.replace(/\$\{[^}]*\}/g, '{}') };
}

function loadSpecs(): Map<string, SpecOperation> {
  const operations = new Map<string, SpecOperation>();
  for (const name of ['openapi-platform.json', 'openapi-agile.json']) {
    const spec = JSON.parse(fs.readFileSync(path.join(REF, name), 'utf8')) as { paths: Record<string, Record<string, SpecOperation>> };
    for (const [specPath, methods] of Object.entries(spec.paths)) {
      for (const [verb, operation] of Object.entries(methods)) {
        operations.set(`${verb.toUpperCase()} ${specPath.replace(/\{[^}]*\}/g, '{}')}`, operation);
      }
    }
  }
  return operations;
}

/**
 * The scopes an OAuth 2.0 (3LO) app needs for the operation: the spec's current classic scopes where
 * it names them, else the OAuth2 entry of its security block. Undefined: the spec allows no OAuth.
 */
function scopesFor(operation: SpecOperation): string[] | undefined {
  const current = operation['x-atlassian-oauth2-scopes']?.find((entry) => entry.scheme === 'OAuth2' && entry.state === 'Current');
  if (current) return current.scopes;
  return operation.security?.find((entry) => 'OAuth2' in entry)?.OAuth2;
}

/**
 * Issue #17: every Jira operation the service calls must work with the scopes the app requests
 * (DEFAULT_OAUTH_SCOPES, listed in README and the admin guide), per the scopes of Atlassian's
 * published OpenAPI specs in shared/ref/jira.
 */
describe('OAuth scopes of every Jira operation the service calls', () => {
  const specs = loadSpecs();
  const operations: Operation[] = [
    ...jiraJsCalls().map((call) => ({ via: `${call.file}: jira.${call.api}.${call.group}.${call.method}`, ...httpOf(call.api, call.group, call.method) })),
    ...DIRECT_CALLS,
  ];

  it('finds the operations, each in the spec', () => {
    const listed = operations.map((o) => `${o.method} ${o.path}`);
    // The parser must see real calls, or the check below would pass on an empty list.
    for (const known of ['GET /rest/api/3/issue/{}', 'POST /rest/api/3/search/jql', 'PUT /rest/agile/1.0/issue/rank', 'GET /rest/api/3/priority']) {
      assert.ok(listed.includes(known), `expected ${known} among ${listed.join(', ')}`);
    }
    const missing = operations.filter((o) => !specs.has(`${o.method} ${o.path}`));
    assert.deepEqual(missing, [], 'every operation is in the published spec');
  });

  it('needs no scope beyond those the app requests', () => {
    const requested = new Set(DEFAULT_OAUTH_SCOPES);
    const lacking = operations.flatMap((o) => {
      const needed = scopesFor(specs.get(`${o.method} ${o.path}`) ?? {});
      if (!needed) return [`${o.method} ${o.path} (${o.via}): the spec allows no OAuth 2.0 access`];
      const absent = needed.filter((scope) => !requested.has(scope));
      return absent.length > 0 ? [`${o.method} ${o.path} (${o.via}) needs ${absent.join(', ')}`] : [];
    });
    assert.deepEqual(lacking, []);
  });

  it('requests no scope that none of those operations needs, except offline_access for refresh tokens', () => {
    const used = new Set(operations.flatMap((o) => scopesFor(specs.get(`${o.method} ${o.path}`) ?? {}) ?? []));
    assert.deepEqual(
      DEFAULT_OAUTH_SCOPES.filter((scope) => !used.has(scope) && scope !== 'offline_access'),
      [],
    );
  });
});
