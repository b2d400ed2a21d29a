import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConformance } from './openapi-conformance';

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
});
