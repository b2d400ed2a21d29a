import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { openEventStream as serveEventStream } from '../../src/meetings/open-event-stream';
import { startTestBot } from '../support/start-test-bot';
import { openEventStream } from './tab-client';

const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('tab event stream', () => {
  it('sends heartbeat comments and cleans up once when the client goes away', async () => {
    let closed = 0;
    const server = http.createServer((req, res) => {
      serveEventStream(req, res, { heartbeatMs: 20, onClose: () => (closed += 1) });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const stream = await openEventStream(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, 'unused');
      assert.equal(stream.response.headers.get('cache-control'), 'no-store, no-transform');
      assert.equal(stream.response.headers.get('x-accel-buffering'), 'no');
      await stream.next('ready');
      const deadline = Date.now() + 5000;
      while (stream.heartbeats() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(stream.heartbeats() >= 2, 'no heartbeat comments');
      await stream.close();
      while (closed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.equal(closed, 1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  describe('when the service shuts down', () => {
    let sim: JiraSim;
    let emu: EntraEmu;
    before(async () => {
      sim = await startJiraSim({ port: 0 });
      emu = await startEntraEmu();
    });
    after(async () => {
      await emu?.close();
      await sim?.close();
    });

    it('ends open streams, so the server closes instead of waiting on them', async () => {
      const testBot = await startTestBot({ ALERT_POLL_INTERVAL_SECONDS: '0', TAB_SSO_AUDIENCE: AUDIENCE, TAB_SSO_JWKS_URL: emu.jwksUrl, TAB_SSO_ISSUER: emu.issuerTemplate });
      const owner = { tenantId: TENANT, userId: 'a11ce000-0000-4000-8000-000000000001' };
      await testBot.bot.connections.connectWithApiToken(owner, { siteUrl: sim.url, email: 'alice@example.com', apiToken: 'sim-token-alice' });
      const token = await emu.issueToken({ tenantId: TENANT, aadObjectId: owner.userId, name: 'Alice Admin', audience: AUDIENCE });
      const created = await fetch(`${testBot.bot.url}/api/tab/backlogs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Planning', jql: 'project = PHX' }),
      });
      const { backlog } = (await created.json()) as { backlog: { id: string } };
      const stream = await openEventStream(`${testBot.bot.url}/api/tab/backlogs/${backlog.id}/events`, token);
      await stream.next('ready');
      await testBot.close();
      await stream.waitForEnd();
      assert.equal(testBot.bot.meetings.hub.listenerCount(), 0);
    });
  });
});
