import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiTokenConnection, OAuthConnection } from '../../src/connections/connection';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { JiraError, JiraErrorCode } from '../../src/jira/jira-error';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import { ManualClock } from '../support/manual-clock';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
}

type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

/** A loopback server answering from a script, recording what it was sent. */
async function scriptedServer(replies: Reply[]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    req.resume();
    const reply = replies.shift() ?? { status: 500 };
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const owner = { tenantId: 't1', userId: 'u1' };
const times = { status: 'active' as const, createdAt: 0, updatedAt: 0 };

function pipelineWith(clock: ManualClock) {
  return new RequestPipeline({ scheduler: new SiteScheduler({ clock }), clock, random: () => 0.5 });
}

describe('createJiraClient', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>> | undefined;
  afterEach(async () => server?.close());

  it('sends API-token calls with Basic auth to the site and returns jira.js results', async () => {
    server = await scriptedServer([{ status: 200, body: { key: 'ABC-1', fields: { summary: 'Hello' } } }]);
    const connection: ApiTokenConnection = {
      ...times,
      kind: 'apiToken',
      owner,
      siteUrl: server.url,
      email: 'ann@example.com',
      apiToken: 'tok',
      accountId: 'acc-1',
      displayName: 'Ann',
    };
    const jira = createJiraClient(connection, { pipeline: pipelineWith(new ManualClock()), apiUrl: 'http://unused' });
    const issue = await jira.v3.issues.getIssue({ issueIdOrKey: 'ABC-1', fields: ['summary'] });
    assert.equal(issue.key, 'ABC-1');
    assert.equal(server.seen[0].url, '/rest/api/3/issue/ABC-1?fields=summary');
    assert.equal(server.seen[0].authorization, `Basic ${Buffer.from('ann@example.com:tok').toString('base64')}`);
  });

  it('sends OAuth calls with Bearer auth through the gateway path, refreshing once on a 401', async () => {
    server = await scriptedServer([{ status: 401 }, { status: 200, body: { accountId: 'acc-9', displayName: 'Bo' } }]);
    const connection: OAuthConnection = {
      ...times,
      kind: 'oauth',
      owner,
      cloudId: 'cloud-1',
      siteUrl: 'https://bo.atlassian.net',
      siteName: 'bo',
      accountId: 'acc-9',
      displayName: 'Bo',
      accessToken: 'old',
      refreshToken: 'r',
      expiresAt: 0,
      scopes: [],
    };
    const forced: boolean[] = [];
    const tokens = {
      accessToken: async (_owner: unknown, options?: { forceRefresh?: boolean }) => {
        forced.push(Boolean(options?.forceRefresh));
        return options?.forceRefresh ? 'fresh' : 'old';
      },
    };
    const jira = createJiraClient(connection, { pipeline: pipelineWith(new ManualClock()), apiUrl: server.url, tokens });
    const me = await jira.v3.myself.getCurrentUser();
    assert.equal(me.accountId, 'acc-9');
    assert.deepEqual(
      server.seen.map((s) => [s.url, s.authorization]),
      [
        ['/ex/jira/cloud-1/rest/api/3/myself', 'Bearer old'],
        ['/ex/jira/cloud-1/rest/api/3/myself', 'Bearer fresh'],
      ],
    );
    assert.deepEqual(forced, [false, true]);
  });

  it('waits out a 429 as Retry-After says, then succeeds', async () => {
    server = await scriptedServer([
      { status: 429, headers: { 'retry-after': '3', ratelimit: '"tenant-app-quota";r=0;t=3' } },
      { status: 200, body: { key: 'ABC-2' } },
    ]);
    const clock = new ManualClock();
    const connection: ApiTokenConnection = {
      ...times,
      kind: 'apiToken',
      owner,
      siteUrl: server.url,
      email: 'e',
      apiToken: 't',
      accountId: 'a',
      displayName: 'd',
    };
    const jira = createJiraClient(connection, { pipeline: pipelineWith(clock), apiUrl: 'http://unused' });
    const issue = jira.v3.issues.getIssue({ issueIdOrKey: 'ABC-2' });
    await clock.advance(2999);
    assert.equal(server.seen.length, 1);
    await clock.advance(1);
    assert.equal((await issue).key, 'ABC-2');
    assert.equal(server.seen.length, 2);
  });

  it("rejects with a coded error carrying Jira's own 400 text", async () => {
    server = await scriptedServer([{ status: 400, body: { errorMessages: ["Field 'foo' does not exist or you do not have permission to view it."], errors: {} } }]);
    const connection: ApiTokenConnection = {
      ...times,
      kind: 'apiToken',
      owner,
      siteUrl: server.url,
      email: 'e',
      apiToken: 't',
      accountId: 'a',
      displayName: 'd',
    };
    const jira = createJiraClient(connection, { pipeline: pipelineWith(new ManualClock()), apiUrl: 'http://unused' });
    await assert.rejects(jira.v3.issueSearch.searchForIssuesUsingJqlEnhancedSearch({ jql: 'foo = 1' }), (error: unknown) => {
      assert.ok(error instanceof JiraError);
      assert.equal(error.code, JiraErrorCode.BadRequest);
      assert.equal(error.detail, "Field 'foo' does not exist or you do not have permission to view it.");
      return true;
    });
  });

  it('fails with "reconnect", without retrying, when the user disconnected mid-call', async () => {
    server = await scriptedServer([]);
    const connection: OAuthConnection = {
      ...times,
      kind: 'oauth',
      owner,
      cloudId: 'cloud-1',
      siteUrl: 'https://bo.atlassian.net',
      siteName: 'bo',
      accountId: 'acc-9',
      displayName: 'Bo',
      accessToken: 'old',
      refreshToken: 'r',
      expiresAt: 0,
      scopes: [],
    };
    let asked = 0;
    const tokens = {
      accessToken: async () => {
        asked += 1;
        // The token source's contract: a user with no usable connection is Unauthorized.
        throw new JiraError(JiraErrorCode.Unauthorized);
      },
    };
    const jira = createJiraClient(connection, { pipeline: pipelineWith(new ManualClock()), apiUrl: server.url, tokens });
    await assert.rejects(jira.v3.myself.getCurrentUser(), { code: JiraErrorCode.Unauthorized });
    assert.equal(asked, 1);
    assert.equal(server.seen.length, 0);
  });
});
