import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTabApi } from '../src/api/create-tab-api';
import { TabApiError } from '../src/api/tab-api-error';
import { fetchPageChain } from '../src/backlog/prefetch-backlog';

const BACKLOG = {
  id: 'b1',
  name: 'Grooming',
  jql: 'project = KAN',
  source: { kind: 'jql' },
  siteUrl: 'https://example.atlassian.net',
  createdBy: 'Alice',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/**
 * The tab's reading of `GET /backlogs/:id/pages` (docs/tab-api.md) against a real HTTP server that
 * answers as the bot does, including the endings the bot's own tests cannot bring about on cue: an
 * error after the first page, a response cut short, and a reader that gives up; and the backlog that
 * comes with the first page (or, from an older bot, is asked for).
 */
describe('tab: the page stream', () => {
  let server: http.Server;
  let baseUrl: string;
  /** What the server does with the next /pages request, after its first page. */
  let then: 'error' | 'cut' | 'hold';
  /** Whether the first page carries the backlog, as the bot sends it (an older bot did not). */
  let withBacklog = true;
  const held: http.ServerResponse[] = [];
  const seen: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      if (!req.url?.endsWith('/pages?pageSize=100')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ backlog: { ...BACKLOG, name: 'Asked for' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write(`event: page\ndata: ${JSON.stringify({ issues: [{ key: 'KAN-1' }], nextPageToken: 'next', ...(withBacklog ? { backlog: BACKLOG } : {}) })}\n\n`);
      if (then === 'error') res.end(`event: error\ndata: ${JSON.stringify({ error: { code: 'jiraBusy', message: 'Jira is busy. Try again in a minute.' } })}\n\n`);
      else if (then === 'cut') res.end();
      else held.push(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const res of held) res.end();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const api = () => createTabApi(baseUrl, async () => 'the-token');

  it('gives the first page, then the error the bot sent after it as a TabApiError', async () => {
    then = 'error';
    const chain = fetchPageChain(api(), 'b1');
    assert.deepEqual((await chain.first.page).issues, [{ key: 'KAN-1' }]);
    assert.equal(seen.at(-1), '/api/tab/backlogs/b1/pages?pageSize=100 Bearer the-token');
    const second = await chain.first.next;
    await assert.rejects(second!.page, (error: unknown) => error instanceof TabApiError && error.code === 'jiraBusy' && /busy/.test(error.message));
  });

  it('says the connection was cut when the response ends before the last page', async () => {
    then = 'cut';
    const chain = fetchPageChain(api(), 'b1');
    await chain.first.page;
    const second = await chain.first.next;
    await assert.rejects(second!.page, (error: unknown) => error instanceof TabApiError && error.code === 'network' && /cut/.test(error.message));
  });

  it('takes the backlog from the first page, with no request of its own', async () => {
    then = 'cut';
    withBacklog = true;
    const before = seen.length;
    const chain = fetchPageChain(api(), 'b1');
    assert.deepEqual(await chain.backlog, BACKLOG);
    await chain.first.next;
    assert.deepEqual(seen.slice(before), ['/api/tab/backlogs/b1/pages?pageSize=100 Bearer the-token']);
  });

  it('asks for the backlog when the first page comes without it (a bot older than the tab)', async () => {
    then = 'cut';
    withBacklog = false;
    const chain = fetchPageChain(api(), 'b1');
    assert.equal((await chain.backlog).name, 'Asked for');
    assert.equal(seen.at(-1), '/api/tab/backlogs/b1 Bearer the-token');
  });

  it('ends a cancelled chain with an empty last page instead of an error, so the replaced load just stops', async () => {
    then = 'hold';
    const chain = fetchPageChain(api(), 'b1');
    await chain.first.page;
    const second = await chain.first.next;
    chain.cancel();
    assert.deepEqual(await second!.page, { issues: [] });
    assert.equal(await second!.next, undefined);
  });
});
