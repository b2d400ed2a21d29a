import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { connectWithApiToken } from '../../src/connections/connect-with-api-token';
import { ConnectionErrorCode, connectionErrorMessage, type ConnectionError } from '../../src/connections/connection-error';
import { ConnectionRepository } from '../../src/connections/connection-repository';
import { TokenCipher, tokenKey } from '../../src/connections/token-cipher';
import { createJiraClient } from '../../src/jira/create-jira-client';
import { RequestPipeline } from '../../src/jira/request-pipeline';
import { SiteScheduler } from '../../src/jira/site-scheduler';
import type { Store } from '../../src/store/store';
import { openTestStore } from './open-test-store';

const owner = { tenantId: 'tenant-1', userId: 'aad-user-2' };

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<ConnectionError> {
  const error = (await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  )) as ConnectionError;
  assert.equal(error.code, code);
  return error;
}

describe('API-token connection against the Jira simulator', () => {
  let sim: JiraSim;
  let store: Store;
  let connections: ConnectionRepository;

  beforeEach(async () => {
    sim = await startJiraSim({ port: 0 });
    store = openTestStore();
    connections = new ConnectionRepository(store, new TokenCipher(tokenKey(randomBytes(32))));
  });

  afterEach(async () => {
    await sim.close();
    await store.close();
  });

  it('verifies the token with /myself, saves the connection, and Jira calls work with it', async () => {
    const user = sim.state.site.users[1];
    const connection = await connectWithApiToken(owner, { siteUrl: `${sim.url}/browse/ABC-1`, email: user.email, apiToken: user.apiToken }, { connections, allowHttp: true });
    assert.equal(connection.accountId, user.accountId);
    assert.equal(connection.siteUrl, sim.url);
    assert.deepEqual(await connections.get(owner), connection);

    const jira = createJiraClient(connection, { pipeline: new RequestPipeline({ scheduler: new SiteScheduler() }), apiUrl: sim.url });
    assert.equal((await jira.v3.myself.getCurrentUser()).accountId, user.accountId);
  });

  it('says the token is wrong on a 401, and saves nothing', async () => {
    const user = sim.state.site.users[1];
    const error = await rejectsWith(
      connectWithApiToken(owner, { siteUrl: sim.url, email: user.email, apiToken: 'wrong' }, { connections, allowHttp: true }),
      ConnectionErrorCode.ApiTokenRejected,
    );
    assert.match(connectionErrorMessage(error), /did not accept that email and API token/);
    assert.equal(await connections.get(owner), undefined);
  });

  it('says the site did not answer when nothing listens there', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejectsWith(
      connectWithApiToken(owner, { siteUrl: `http://127.0.0.1:${port}`, email: 'a@b.c', apiToken: 't' }, { connections, allowHttp: true }),
      ConnectionErrorCode.SiteUnreachable,
    );
    assert.match(connectionErrorMessage(error), /did not answer/);
  });

  it('says the site did not answer when it hangs past the timeout', async () => {
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hanging.address() as AddressInfo;
      await rejectsWith(
        connectWithApiToken(owner, { siteUrl: `http://127.0.0.1:${port}`, email: 'a@b.c', apiToken: 't' }, { connections, allowHttp: true, timeoutMs: 50 }),
        ConnectionErrorCode.SiteUnreachable,
      );
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('says the address is not a Jira site when something else answers', async () => {
    const web = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Welcome</html>');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = web.address() as AddressInfo;
      await rejectsWith(
        connectWithApiToken(owner, { siteUrl: `http://127.0.0.1:${port}`, email: 'a@b.c', apiToken: 't' }, { connections, allowHttp: true }),
        ConnectionErrorCode.NotJira,
      );
    } finally {
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
  });

  it('says a malformed site address is malformed before calling anything', async () => {
    await rejectsWith(connectWithApiToken(owner, { siteUrl: 'my jira', email: 'a@b.c', apiToken: 't' }, { connections }), ConnectionErrorCode.SiteUrlInvalid);
  });
});
