import assert from 'node:assert/strict';
import { ConfigError, readConfig, type Env } from '../../src/config';

function problemsOf(env: Env): string[] {
  try {
    readConfig({ DATA_DIR: '/tmp/unused', ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('security: JIRA_ALLOWED_SITES and JIRA_LINK_DOMAINS (issue 15 item 1)', () => {
  it('takes exact origins, normalised, and adds the configured Jira and Atlassian URLs', () => {
    const config = readConfig({
      DATA_DIR: '/tmp/unused',
      JIRA_ALLOWED_SITES: 'https://Jira.Example.com/, http://127.0.0.1:3990,http://localhost:*',
      JIRA_BASE_URL: 'https://acme.atlassian.net',
      ATLASSIAN_API_URL: 'http://127.0.0.1:4000',
    });
    assert.deepEqual(config.jira.allowedSites, ['https://jira.example.com', 'http://127.0.0.1:3990', 'http://localhost:*', 'https://acme.atlassian.net', 'http://127.0.0.1:4000']);
    // Atlassian's own defaults are not "listed": they stay under the address check.
    assert.deepEqual(readConfig({ DATA_DIR: '/tmp/unused' }).jira.allowedSites, []);
  });

  it('refuses paths, credentials, other schemes, and plain http or a port wildcard on anything but a loopback host', () => {
    for (const bad of [
      'https://jira.example.com/jira',
      'http://jira.example.com',
      'ftp://jira.example.com',
      'https://u:p@jira.example.com',
      'jira.example.com',
      'https://jira.example.com:*',
      'http://10.0.0.1:*',
    ]) {
      const problems = problemsOf({ JIRA_ALLOWED_SITES: bad });
      assert.equal(problems.length, 1, bad);
      assert.match(problems[0], /^JIRA_ALLOWED_SITES: expected comma-separated origins/, bad);
      assert.doesNotMatch(problems[0], /u:p/);
    }
  });

  it('refuses a link domain the site policy would not call', () => {
    assert.deepEqual(problemsOf({ JIRA_LINK_DOMAINS: 'acme.atlassian.net,jira.example.com', JIRA_ALLOWED_SITES: 'https://jira.example.com' }), []);
    const problems = problemsOf({ JIRA_LINK_DOMAINS: 'intranet.local' });
    assert.deepEqual(problems, ['JIRA_LINK_DOMAINS: intranet.local is not an allowed Jira site (add its origin, e.g. https://intranet.local, to JIRA_ALLOWED_SITES)']);
  });
});
