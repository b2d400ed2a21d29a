import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConformance } from '../../src/conformance/check-conformance';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'ref', 'jira', 'samples', 'openapi-examples');
const example = (name: string) => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));

/** The checker the route tests rely on must pass Jira's own examples and catch what departs from the spec. */
describe('checkConformance', () => {
  it("accepts Jira's published examples", () => {
    assert.deepEqual(checkConformance({ method: 'GET', path: '/rest/api/3/issue/EX-1', status: 200, responseBody: example('issue.get.200.json') }).errors, []);
    assert.deepEqual(
      checkConformance({
        method: 'POST',
        path: '/rest/api/3/issue/EX-1/comment',
        requestBody: example('comment.add.request.json'),
        status: 201,
        responseBody: example('comment.add.201.json'),
      }).errors,
      [],
    );
  });

  it('finds the most literal template and strips the gateway prefix', () => {
    const result = checkConformance({ method: 'GET', path: '/ex/jira/abc/rest/api/3/issue/createmeta/PHX/issuetypes?x=1', status: 200, responseBody: { issueTypes: [] } });
    assert.equal(result.operation, 'GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes');
  });

  it('reports an unknown property, a wrong type, an undocumented status and an unknown operation', () => {
    const extra = checkConformance({ method: 'GET', path: '/rest/api/3/serverInfo', status: 200, responseBody: { baseUrl: 'x', bogus: 1 } });
    assert.match(extra.errors.join(), /additional properties/);
    const type = checkConformance({ method: 'GET', path: '/rest/api/3/search/jql', status: 200, responseBody: { isLast: 'yes', issues: [] } });
    assert.match(type.errors.join(), /isLast must be boolean/);
    const status = checkConformance({ method: 'GET', path: '/rest/api/3/myself', status: 403, responseBody: {} });
    assert.match(status.errors.join(), /status 403 is not documented/);
    assert.match(checkConformance({ method: 'GET', path: '/rest/api/3/nothing-here', status: 200 }).errors.join(), /no GET operation/);
  });

  it('checks request bodies too', () => {
    const result = checkConformance({ method: 'PUT', path: '/rest/agile/1.0/issue/rank', requestBody: { issues: 'PHX-1' }, status: 204 });
    assert.match(result.errors.join(), /request \/issues must be array/);
  });

  it('applies the errata: null changelog ends, unassign with null, 429/503 anywhere, the admin webhook API', () => {
    const item = { field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: null, fromString: null, to: 'abc', toString: 'Bob' };
    const changelog = { startAt: 0, maxResults: 1, total: 1, isLast: true, values: [{ id: '1', created: '2026-01-01T00:00:00.000+0000', items: [item] }] };
    assert.deepEqual(checkConformance({ method: 'GET', path: '/rest/api/3/issue/PHX-1/changelog', status: 200, responseBody: changelog }).errors, []);
    const notNullable = { ...changelog, values: [{ ...changelog.values[0], items: [{ ...item, field: null }] }] };
    assert.match(checkConformance({ method: 'GET', path: '/rest/api/3/issue/PHX-1/changelog', status: 200, responseBody: notNullable }).errors.join(), /field must be string/);
    assert.deepEqual(checkConformance({ method: 'PUT', path: '/rest/api/3/issue/PHX-1/assignee', requestBody: { accountId: null }, status: 204 }).errors, []);
    assert.match(checkConformance({ method: 'PUT', path: '/rest/api/3/issue/PHX-1/assignee', requestBody: { accountId: 7 }, status: 204 }).errors.join(), /accountId must be/);
    assert.deepEqual(checkConformance({ method: 'GET', path: '/rest/api/3/myself', status: 429 }).errors, []);
    assert.deepEqual(checkConformance({ method: 'POST', path: '/rest/api/3/search/jql', status: 503 }).errors, []);
    assert.deepEqual(checkConformance({ method: 'POST', path: '/rest/webhooks/1.0/webhook', status: 201, responseBody: { self: 'x' } }).errors, []);
  });
});
