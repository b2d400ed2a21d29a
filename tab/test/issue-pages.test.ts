import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTabApi } from '../src/api/create-tab-api';
import { TabApiError } from '../src/api/tab-api-error';
import { fetchPageChain } from '../src/backlog/prefetch-backlog';

/**
 * The tab's reading of `GET /backlogs/:id/pages` (docs/tab-api.md) against a real HTTP server that
 * answers as the bot does, including the endings the bot's own tests cannot bring about on cue: an
 * error after the first page, a response cut short, and a reader that gives up.
 */
describe('tab: the page stream', () => {
  let server: http.Server;
  let baseUrl: string;
  /** What the server does with the next /pages request, after its first page. */
  let then: 'error' | 'cut' | 'hold';
  const held: http.ServerResponse[] = [];
  const seen: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.write(`event: page\ndata: ${JSON.stringify({ issues: [{ key: 'KAN-1' }], nextPageToken: 'next' })}\n\n`);
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
