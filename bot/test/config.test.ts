import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, readConfig } from '../src/config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    readConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
};

describe('readConfig', () => {
  it('runs with embedded defaults and no variables at all (local mode, SQLite)', () => {
    const config = readConfig({});
    assert.equal(config.port, 3978);
    assert.equal(config.localMode, true);
    assert.deepEqual(config.store, { kind: 'sqlite', path: path.join('data', 'jira-teams.db') });
    assert.equal(config.publicUrl, 'http://localhost:3978');
    assert.equal(config.jira.authUrl, 'https://auth.atlassian.com');
  });

  it('treats blank values as unset', () => {
    assert.equal(readConfig({ PORT: '  ', BOT_ID: '' }).localMode, true);
  });

  it('names the variable and what it expects for each bad value', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', JIRA_BASE_URL: 'not a url', STORE: 'postgres' });
    assert.equal(problems.length, 4);
    assert.match(problems.find((p) => p.startsWith('PORT:')) ?? '', /TCP port number/);
    assert.match(problems.find((p) => p.startsWith('LOG_LEVEL:')) ?? '', /one of fatal/);
    assert.match(problems.find((p) => p.startsWith('JIRA_BASE_URL:')) ?? '', /Jira site URL/);
    assert.match(problems.find((p) => p.startsWith('STORE:')) ?? '', /sqlite or azure/);
  });

  it('never echoes a bad value, which may be a secret', () => {
    const problems = problemsOf({ TOKEN_ENCRYPTION_KEY: 'hunter2-very-secret' });
    assert.match(problems[0], /^TOKEN_ENCRYPTION_KEY: expected 32 random bytes/);
    assert.doesNotMatch(problems.join(' '), /hunter2/);
  });

  it('requires the bot secret and tenant where the bot type needs them', () => {
    const id = '00000000-0000-0000-0000-000000000001';
    assert.match(problemsOf({ BOT_ID: id })[0], /^BOT_PASSWORD: required/);
    assert.match(problemsOf({ BOT_ID: id, BOT_TYPE: 'SingleTenant', BOT_PASSWORD: 'x' })[0], /^BOT_TENANT_ID: required/);
    const msi = readConfig({ BOT_ID: id, BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: id });
    assert.equal(msi.localMode, false);
  });

  it('requires both halves of the Atlassian OAuth app', () => {
    assert.match(problemsOf({ ATLASSIAN_CLIENT_ID: 'abc' })[0], /^ATLASSIAN_CLIENT_SECRET: required/);
    const config = readConfig({ ATLASSIAN_CLIENT_ID: 'abc', ATLASSIAN_CLIENT_SECRET: 's' });
    assert.deepEqual(config.jira.oauth, { clientId: 'abc', clientSecret: 's' });
  });

  it('accepts a 32-byte base64 encryption key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    assert.equal(readConfig({ TOKEN_ENCRYPTION_KEY: key }).secrets.tokenEncryptionKey?.length, 32);
  });

  it('polls every two minutes and keeps webhooks closed unless configured', () => {
    const { alerts } = readConfig({});
    assert.deepEqual(alerts, { webhookSecret: undefined, pollIntervalMs: 120_000, dynamicWebhooks: false });
    assert.equal(readConfig({ ALERT_POLL_INTERVAL_SECONDS: '0' }).alerts.pollIntervalMs, 0);
    assert.equal(readConfig({ ALERT_POLL_INTERVAL_SECONDS: '300' }).alerts.pollIntervalMs, 300_000);
    assert.equal(readConfig({ JIRA_WEBHOOK_SECRET: 'a-long-enough-shared-secret' }).alerts.webhookSecret, 'a-long-enough-shared-secret');
  });

  it('registers dynamic webhooks only with OAuth and a public https URL Jira can call', () => {
    const oauth = { ATLASSIAN_CLIENT_ID: 'abc', ATLASSIAN_CLIENT_SECRET: 's' };
    assert.equal(readConfig({ ...oauth, PUBLIC_URL: 'https://bot.example.com' }).alerts.dynamicWebhooks, true);
    assert.equal(readConfig({ ...oauth }).alerts.dynamicWebhooks, false);
    assert.equal(readConfig({ ...oauth, PUBLIC_URL: 'http://localhost:3978' }).alerts.dynamicWebhooks, false);
    assert.equal(readConfig({ PUBLIC_URL: 'https://bot.example.com' }).alerts.dynamicWebhooks, false);
  });

  it('refuses a short webhook secret and a poll interval outside its range, naming them', () => {
    const problems = problemsOf({ JIRA_WEBHOOK_SECRET: 'short', ALERT_POLL_INTERVAL_SECONDS: '5' });
    assert.match(problems.find((p) => p.startsWith('JIRA_WEBHOOK_SECRET:')) ?? '', /at least 16 characters/);
    assert.match(problems.find((p) => p.startsWith('ALERT_POLL_INTERVAL_SECONDS:')) ?? '', /0 \(off\) or 10 to 86400/);
    assert.doesNotMatch(problems.join(' '), /short/);
    assert.match(problemsOf({ ALERT_POLL_INTERVAL_SECONDS: 'often' })[0], /^ALERT_POLL_INTERVAL_SECONDS: expected whole seconds/);
  });

  it('asks Microsoft Graph at graph.microsoft.com unless GRAPH_BASE_URL names another, and names a bad one', () => {
    assert.equal(readConfig({}).graph.baseUrl, 'https://graph.microsoft.com/v1.0');
    assert.equal(readConfig({ GRAPH_BASE_URL: 'http://127.0.0.1:4000/graph/v1.0/' }).graph.baseUrl, 'http://127.0.0.1:4000/graph/v1.0');
    const problems = problemsOf({ GRAPH_BASE_URL: 'graph.microsoft.com' });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^GRAPH_BASE_URL: expected the Microsoft Graph v1\.0 base URL/);
  });

  it('turns the tab API off when no SSO audience is known (local mode without TAB_SSO_AUDIENCE)', () => {
    assert.equal(readConfig({}).tab.sso, undefined);
  });

  it("accepts the tab app's Application ID URI and the bot id as SSO audiences by default", () => {
    const id = '00000000-0000-0000-0000-0000000000b0';
    const { sso } = readConfig({ BOT_ID: id, BOT_PASSWORD: 'x', PUBLIC_URL: 'https://jira-bot.example.com' }).tab;
    assert.deepEqual(sso, {
      audiences: [`api://jira-bot.example.com/${id}`, id],
      jwksUrl: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
      issuerTemplate: 'https://login.microsoftonline.com/{tenantid}/v2.0',
    });
  });

  it('takes comma-separated audiences, a JWKS URL and an issuer template from the environment', () => {
    const { sso } = readConfig({
      TAB_SSO_AUDIENCE: ' api://localhost:3978/tab , other-aud ',
      TAB_SSO_JWKS_URL: 'http://127.0.0.1:3981/_emu/keys',
      TAB_SSO_ISSUER: 'http://127.0.0.1:3981/{tenantid}/v2.0',
    }).tab;
    assert.deepEqual(sso, {
      audiences: ['api://localhost:3978/tab', 'other-aud'],
      jwksUrl: 'http://127.0.0.1:3981/_emu/keys',
      issuerTemplate: 'http://127.0.0.1:3981/{tenantid}/v2.0',
    });
  });

  it('names each bad tab SSO variable once', () => {
    const problems = problemsOf({ TAB_SSO_AUDIENCE: ' , ', TAB_SSO_JWKS_URL: 'keys.json', TAB_SSO_ISSUER: 'login.microsoftonline.com/{tenantid}' });
    assert.equal(problems.length, 3);
    assert.match(problems.find((p) => p.startsWith('TAB_SSO_AUDIENCE:')) ?? '', /comma-separated audiences/);
    assert.match(problems.find((p) => p.startsWith('TAB_SSO_JWKS_URL:')) ?? '', /signing keys/);
    assert.match(problems.find((p) => p.startsWith('TAB_SSO_ISSUER:')) ?? '', /\{tenantid\} standing for the tenant/);
  });

  it('stops the process with one line per bad variable', function () {
    this.timeout(30000);
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../src/index.ts')], {
      env: { ...process.env, PORT: '99999', LOG_LEVEL: 'verbose', BOT_ID: '' },
      encoding: 'utf8',
    });
    assert.equal(result.status, 1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('Configuration error:'));
    assert.equal(lines.length, 2, result.stderr);
    assert.match(lines.join('\n'), /PORT: expected a TCP port number/);
    assert.match(lines.join('\n'), /LOG_LEVEL: expected one of/);
  });
});
