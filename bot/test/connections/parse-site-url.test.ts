import assert from 'node:assert/strict';
import { parseSiteUrl } from '../../src/connections/parse-site-url';

describe('parseSiteUrl', () => {
  it('accepts a site with or without https://, cut back to its origin', () => {
    assert.equal(parseSiteUrl('https://acme.atlassian.net'), 'https://acme.atlassian.net');
    assert.equal(parseSiteUrl('  acme.atlassian.net/ '), 'https://acme.atlassian.net');
    assert.equal(parseSiteUrl('https://acme.atlassian.net/browse/ABC-1?x=1'), 'https://acme.atlassian.net');
  });

  it('refuses malformed addresses with a clear message', () => {
    for (const bad of ['', 'not a url', 'acme', 'ftp://acme.atlassian.net', 'https://user:pw@acme.atlassian.net', 'https://']) {
      assert.throws(() => parseSiteUrl(bad), { code: 'CONNECTION_SITE_URL_INVALID' }, bad);
    }
  });

  it('refuses plain http unless allowed (local mode)', () => {
    assert.throws(() => parseSiteUrl('http://127.0.0.1:3990'), { code: 'CONNECTION_SITE_URL_INVALID' });
    assert.equal(parseSiteUrl('http://127.0.0.1:3990', { allowHttp: true }), 'http://127.0.0.1:3990');
  });
});
