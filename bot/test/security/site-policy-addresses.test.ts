import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { createSiteFetch } from '../../src/jira/site-policy/create-site-fetch';
import { createSitePolicy, type DnsLookupAll } from '../../src/jira/site-policy/create-site-policy';
import { isPublicAddress } from '../../src/jira/site-policy/is-public-address';
import { SitePolicyErrorCode } from '../../src/jira/site-policy/site-policy-error';

/** DNS that answers from a table, counting the questions, so names need not exist. */
function fakeDns(table: Record<string, string[] | (() => string[])>) {
  const asked: string[] = [];
  const lookup: DnsLookupAll = (hostname, _options, callback) => {
    asked.push(hostname);
    const entry = table[hostname];
    if (!entry) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    const addresses: LookupAddress[] = (typeof entry === 'function' ? entry() : entry).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    callback(null, addresses);
  };
  return { lookup, asked };
}

async function listen(handler: http.RequestListener, host = '127.0.0.1'): Promise<{ server: http.Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

describe('security: the Jira site policy (issue 15 item 1)', () => {
  it('calls no loopback, private, link-local, unique-local, CGNAT, multicast or metadata address', () => {
    const refused = [
      '127.0.0.1',
      '127.1.2.3',
      '0.0.0.0',
      '0.1.2.3',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.254',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.100.100.200',
      '224.0.0.1',
      '239.255.255.250',
      '255.255.255.255',
      '168.63.129.16',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '64:ff9b::a00:1',
      '2002:a00:1::1',
      'not an address',
    ];
    for (const address of refused) assert.equal(isPublicAddress(address), false, address);
    for (const address of ['104.192.141.1', '185.166.143.1', '8.8.8.8', '2401:1d80:1010::150', '::ffff:104.192.141.1']) {
      assert.equal(isPublicAddress(address), true, address);
    }
  });

  it('allows Jira Cloud sites over https and listed origins only', () => {
    const policy = createSitePolicy({ listedOrigins: ['https://jira.example.com', 'http://127.0.0.1:3990'] });
    for (const url of [
      'https://acme.atlassian.net/rest/api/3/myself',
      'https://acme.jira.com',
      'https://api.atlassian.com/ex/jira/abc',
      'https://auth.atlassian.com/oauth/token',
      'https://jira.example.com/rest/api/3/issue/A-1',
      'http://127.0.0.1:3990/rest/api/3/myself',
    ]) {
      assert.equal(policy.allows(url), true, url);
    }
    for (const url of [
      'http://acme.atlassian.net', // an API token would travel in clear
      'https://acme.atlassian.net:8443',
      'https://atlassian.net.evil.example',
      'https://evilatlassian.net',
      'https://127.0.0.1.nip.io',
      'https://10.0.0.1',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1',
      'https://[::1]',
      'http://127.0.0.1:3991', // listed is an exact origin: another port is another site
      'https://jira.example.com:444',
      'https://user:pw@acme.atlassian.net',
      'file:///etc/passwd',
      'javascript:alert(1)',
    ]) {
      assert.throws(() => policy.check(url), { code: SitePolicyErrorCode.NotAllowed }, url);
    }
  });

  it('refuses a Jira Cloud name that resolves to an internal address, before connecting', async () => {
    const dns = fakeDns({ 'evil.atlassian.net': ['127.0.0.1'], 'mixed.atlassian.net': ['104.192.141.1', '10.1.2.3'] });
    const policy = createSitePolicy({ listedOrigins: [], lookup: dns.lookup });
    const siteFetch = createSiteFetch(policy);
    for (const host of ['evil.atlassian.net', 'mixed.atlassian.net']) {
      await assert.rejects(siteFetch(`https://${host}/rest/api/3/myself`), { code: SitePolicyErrorCode.AddressRefused, site: host });
    }
    assert.deepEqual(dns.asked, ['evil.atlassian.net', 'mixed.atlassian.net']);
  });

  it('connects to the address it checked: a listed name resolved by the policy, not by the system', async () => {
    // The server listens on 127.0.0.2 only, where the system's own answer for localhost (127.0.0.1 or ::1)
    // finds nothing: the request can only land if the policy's lookup is the socket's.
    const target = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }, '127.0.0.2');
    try {
      const dns = fakeDns({ localhost: ['127.0.0.2'] });
      const policy = createSitePolicy({ listedOrigins: [`http://localhost:${target.port}`], lookup: dns.lookup });
      const response = await createSiteFetch(policy)(`http://localhost:${target.port}/rest/api/3/serverInfo`);
      assert.deepEqual(await response.json(), { ok: true });
      assert.deepEqual(target.hits, ['GET /rest/api/3/serverInfo']);
      // One answer, checked and connected to: no second lookup a rebinding DNS could answer differently.
      assert.deepEqual(dns.asked, ['localhost']);
    } finally {
      target.server.closeAllConnections();
      target.server.close();
    }
  });

  it('gives up on a site that does not answer when the caller signal aborts', async () => {
    const hanging = await listen(() => undefined);
    try {
      const policy = createSitePolicy({ listedOrigins: [`http://127.0.0.1:${hanging.port}`] });
      await assert.rejects(createSiteFetch(policy)(`http://127.0.0.1:${hanging.port}/rest/api/3/myself`, { signal: AbortSignal.timeout(200) }), (e: Error) =>
        /Abort|Timeout/.test(e.name),
      );
    } finally {
      hanging.server.closeAllConnections();
      hanging.server.close();
    }
  });

  it('sends plain http only to a listed loopback origin', () => {
    const policy = createSitePolicy({ listedOrigins: ['http://jira.example.com', 'http://localhost:3990', 'http://127.0.0.1:*'] });
    assert.throws(() => policy.check('http://jira.example.com/rest/api/3/myself'), { code: SitePolicyErrorCode.NotAllowed });
    assert.equal(policy.allows('http://localhost:3990/rest/api/3/myself'), true);
    assert.equal(policy.allows('http://127.0.0.1:4321/rest/api/3/myself'), true);
  });

  it('turns a refused Jira call into a coded error that names the site, without retrying it', async () => {
    const dns = fakeDns({ 'evil.atlassian.net': ['169.254.169.254'] });
    const sitePolicy = createSitePolicy({ listedOrigins: [], lookup: dns.lookup });
    const pipeline = new RequestPipeline({ scheduler: new SiteScheduler() });
    const credential = { kind: 'apiToken' as const, siteUrl: 'https://evil.atlassian.net', email: 'a@example.com', apiToken: 't' };
    const jira = createJiraClient(credential, { pipeline, apiUrl: 'https://api.atlassian.com', sitePolicy });
    const error = await jira.v3.issues.getIssue({ issueIdOrKey: 'KAN-1' }).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof JiraError);
    assert.equal(error.code, JiraErrorCode.Rejected);
    assert.match(error.detail ?? '', /^evil\.atlassian\.net resolves to a private or internal address/);
    assert.deepEqual(dns.asked, ['evil.atlassian.net'], 'asked once: a refusal is not retried');

    const unlisted = createJiraClient({ ...credential, siteUrl: 'https://10.0.0.1' }, { pipeline, apiUrl: 'https://api.atlassian.com', sitePolicy });
    await assert.rejects(unlisted.v3.myself.getCurrentUser(), (e: unknown) => e instanceof JiraError && /^10\.0\.0\.1 is not an allowed Jira site/.test(e.detail ?? ''));
  });
});
