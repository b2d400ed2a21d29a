import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AtlassianAuthClient, TokenEndpointError } from '../../src/connections/atlassian-auth-client';
import { createSitePolicy } from '../../src/jira/site-policy/create-site-policy';

async function serve(handler: http.RequestListener): Promise<{ server: http.Server; url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

describe('security: OAuth calls under the site policy (issue 15 item 1)', () => {
  let elsewhere: Awaited<ReturnType<typeof serve>>;
  let atlassian: Awaited<ReturnType<typeof serve>>;
  let auth: AtlassianAuthClient;

  before(async () => {
    elsewhere = await serve((_req, res) => json(res, 200, { access_token: 'stolen', refresh_token: 'r', expires_in: 3600 }));
    atlassian = await serve((req, res) => {
      if (req.url === '/oauth/token/accessible-resources') {
        return json(res, 200, [
          { id: 'cloud-1', name: 'Acme', url: 'https://acme.atlassian.net', scopes: ['read:jira-work'] },
          { id: 'cloud-2', name: 'Metadata', url: 'http://169.254.169.254', scopes: [] },
          { id: 'cloud-3', name: 'Intranet', url: 'https://intranet.corp.example', scopes: [] },
        ]);
      }
      // The token endpoint bounces the client secret and code elsewhere, keeping the POST (307).
      res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    auth = new AtlassianAuthClient({
      clientId: 'client',
      clientSecret: 'secret',
      authUrl: atlassian.url,
      apiUrl: atlassian.url,
      redirectUri: 'https://bot.example.com/auth/atlassian/callback',
      sitePolicy: createSitePolicy({ listedOrigins: [atlassian.url] }),
    });
  });

  after(() => {
    for (const { server } of [atlassian, elsewhere]) {
      server.closeAllConnections();
      server.close();
    }
  });

  it('keeps only sites the policy allows from accessible-resources', async () => {
    const sites = await auth.accessibleSites('token');
    assert.deepEqual(
      sites.map((s) => s.url),
      ['https://acme.atlassian.net'],
    );
  });

  it('does not follow a redirect from the token endpoint', async () => {
    const error = await auth.exchangeCode('code', 'verifier').then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TokenEndpointError);
    assert.equal(error.status, 307);
    assert.equal(error.oauthError, 'redirect');
    assert.deepEqual(elsewhere.hits, []);
  });
});
