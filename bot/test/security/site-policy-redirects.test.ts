import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionErrorCode, connectionErrorMessage, type ConnectionError } from '../../src/connections/connection-error';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { jiraErrorMessage } from '../../src/jira/jira-error-message';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const owner = { tenantId: 'tenant-1', userId: 'aad-user-1' };

interface Recorded {
  server: http.Server;
  url: string;
  hits: string[];
  bodies: string[];
}

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<Recorded> {
  const hits: string[] = [];
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      bodies.push(body);
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, bodies };
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('security: no Jira call follows a redirect (issue 15 item 1)', () => {
  let elsewhere: Recorded;
  let site: Recorded;
  let testBot: TestBot;

  before(async () => {
    // The second origin: an internal service a hostile "Jira" points the bot at.
    elsewhere = await serve((_req, res) => json(res, 200, { id: '10001', key: 'KAN-1', fields: { summary: 'internal secret' } }));
    // A listed site that answers the connect check, then redirects every REST call.
    site = await serve((req, res) => {
      if (req.url === '/rest/api/3/myself') return json(res, 200, { accountId: 'acc-1', displayName: 'Ana' });
      const status = req.method === 'POST' ? 307 : 302;
      res.writeHead(status, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    // Both are listed: only the rule that no call follows a redirect keeps the bot from the second one.
    testBot = await startTestBot({ JIRA_ALLOWED_SITES: `${site.url},${elsewhere.url}` });
    await testBot.bot.connections.connectWithApiToken(owner, { siteUrl: site.url, email: 'ana@example.com', apiToken: 'token' });
  });

  after(async () => {
    await testBot?.close();
    for (const server of [site?.server, elsewhere?.server]) {
      server?.closeAllConnections();
      server?.close();
    }
  });

  it('does not follow a 302 on getIssue, and says which site redirected', async () => {
    const { jira } = await testBot.bot.connections.jiraFor(owner);
    const error = await rejection(jira.v3.issues.getIssue({ issueIdOrKey: 'KAN-1' }));
    assert.ok(error instanceof JiraError, String(error));
    assert.equal(error.code, JiraErrorCode.Rejected);
    assert.equal(error.status, 302);
    const host = new URL(site.url).host;
    assert.equal(jiraErrorMessage(error), `Jira could not do that: ${host} answered with a redirect (HTTP 302), which this app does not follow.`);
    assert.deepEqual(elsewhere.hits, []);
    assert.deepEqual(site.hits.slice(-1), ['GET /rest/api/3/issue/KAN-1']);
  });

  it('does not re-send a comment to where a 307 points', async () => {
    const { jira } = await testBot.bot.connections.jiraFor(owner);
    const text = 'comment text that must stay with Jira';
    const error = await rejection(
      jira.v3.issueComments.addComment({
        issueIdOrKey: 'KAN-1',
        comment: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
      }),
    );
    assert.ok(error instanceof JiraError && error.status === 307, String(error));
    assert.deepEqual(elsewhere.hits, []);
    assert.equal(
      elsewhere.bodies.some((body) => body.includes(text)),
      false,
    );
  });

  it('refuses a site whose connect check answers with a redirect', async () => {
    const bouncing = await serve((req, res) => {
      res.writeHead(301, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    try {
      const other = await startTestBot({ JIRA_ALLOWED_SITES: `${bouncing.url},${elsewhere.url}` });
      try {
        const error = (await rejection(
          other.bot.connections.connectWithApiToken(owner, { siteUrl: bouncing.url, email: 'ana@example.com', apiToken: 'token' }),
        )) as ConnectionError;
        assert.equal(error.code, ConnectionErrorCode.SiteRedirected);
        assert.match(connectionErrorMessage(error), /answered with a redirect to another address, which this app does not follow/);
        assert.deepEqual(elsewhere.hits, []);
      } finally {
        await other.close();
      }
    } finally {
      bouncing.server.closeAllConnections();
      bouncing.server.close();
    }
  });
});
