import assert from 'node:assert/strict';
import { browseUrl, sameSite, sameSiteHost, siteBase, siteKey } from '../../src/jira/site-url';

describe('site-url: one way to compare, store and link a Jira site', () => {
  it('trims spaces and trailing slashes; the key also ignores case', () => {
    assert.equal(siteBase(' https://Acme.atlassian.net// '), 'https://Acme.atlassian.net');
    assert.equal(siteKey(' https://Acme.atlassian.net// '), 'https://acme.atlassian.net');
    assert.ok(sameSite('https://ACME.atlassian.net/', ' https://acme.atlassian.net'));
    assert.ok(!sameSite('https://acme.atlassian.net', 'https://acme2.atlassian.net'));
  });

  it('links an issue in Jira with its key encoded', () => {
    assert.equal(browseUrl('https://acme.atlassian.net/ ', 'PHX-1'), 'https://acme.atlassian.net/browse/PHX-1');
    assert.equal(browseUrl('http://127.0.0.1:5000', 'A B'), 'http://127.0.0.1:5000/browse/A%20B');
  });

  it("matches a link's host to the connected site, or to a configured custom domain", () => {
    assert.ok(sameSiteHost('ACME.atlassian.net', 'https://acme.atlassian.net/', []));
    assert.ok(sameSiteHost('jira.acme.com', 'https://acme.atlassian.net', [' Jira.Acme.com ']));
    assert.ok(!sameSiteHost('other.atlassian.net', 'https://acme.atlassian.net', ['jira.acme.com']));
    assert.ok(!sameSiteHost('acme.atlassian.net', 'not a url', []));
  });
});
