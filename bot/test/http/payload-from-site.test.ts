import assert from 'node:assert/strict';
import { payloadFromSite } from '../../src/http/payload-from-site';

const ACME = 'https://acme.atlassian.net';
const about = (self: unknown, extra: Record<string, unknown> = {}) => ({ webhookEvent: 'jira:issue_updated', issue: { id: '1', key: 'A-1', self }, ...extra });

describe('payloadFromSite', () => {
  it("takes a body whose self links lie under the site's URL or one of its aliases", () => {
    assert.equal(payloadFromSite(about(`${ACME}/rest/api/2/issue/1`, { comment: { self: `${ACME}/rest/api/2/issue/1/comment/2` } }), ['https://ACME.atlassian.net/']), true);
    assert.equal(payloadFromSite(about('https://api.atlassian.com/ex/jira/cloud-1/rest/api/3/issue/1'), [ACME, 'https://api.atlassian.com/ex/jira/cloud-1']), true);
    assert.equal(payloadFromSite({ webhookEvent: 'worklog_created', worklog: { id: '1' } }, [ACME]), true, 'no self link and no issue: nothing to check');
  });

  it('refuses another site, a look-alike host, another cloud id, an issue without self, and a self that is not a string', () => {
    for (const body of [
      about('https://other.atlassian.net/rest/api/2/issue/1'),
      about('https://acme.atlassian.net.evil.example/rest/api/2/issue/1'),
      about('https://api.atlassian.com/ex/jira/cloud-2/rest/api/3/issue/1'),
      about(`${ACME}/rest/api/2/issue/1`, { user: { self: 'https://other.atlassian.net/rest/api/2/user?accountId=x' } }),
      { issue: { id: '1', key: 'A-1' } },
      about({ href: ACME }),
    ]) {
      assert.equal(payloadFromSite(body, [ACME, 'https://api.atlassian.com/ex/jira/cloud-1']), false, JSON.stringify(body));
    }
  });

  it('counts the loopback names of a local site alike, at the same port only', () => {
    assert.equal(payloadFromSite(about('http://127.0.0.1:3990/rest/api/3/issue/1'), ['http://localhost:3990']), true);
    assert.equal(payloadFromSite(about('http://127.0.0.1:3991/rest/api/3/issue/1'), ['http://localhost:3990']), false);
    assert.equal(payloadFromSite(about('https://localhost:3990/rest/api/3/issue/1'), ['http://localhost:3990']), false, 'another scheme');
  });
});
