import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import type { Server } from 'restify';
import { readConfig } from '../../src/config';
import type { OAuthConnection } from '../../src/connections/connection';
import { createConnectionServices, type ConnectionServices } from '../../src/connections/create-connection-services';
import { authRoutes } from '../../src/http/auth-routes';
import { createHttpServer } from '../../src/http/create-http-server';
import { createLogger } from '../../src/log/create-logger';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { captureLogs } from '../support/capture-logs';

const owner = { tenantId: 'tenant-1', userId: 'aad-user-1' };

describe('Atlassian sign-in routes, through the bot server and the Jira simulator', () => {
  let sim: JiraSim;
  let server: Server;
  let store: Store;
  let botUrl: string;
  let services: ConnectionServices;
  let logs: ReturnType<typeof captureLogs>;
  let accountId: string;

  beforeEach(async () => {
    sim = await startJiraSim({ port: 0 });
    accountId = sim.state.site.users[0].accountId;
    logs = captureLogs();
    const logger = createLogger({ level: 'debug', destination: logs.stream });
    server = createHttpServer({ logger, processActivity: async () => undefined, readiness: async () => ({ ready: true, checks: {} }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    botUrl = `http://127.0.0.1:${server.address().port}`;
    sim.oauth.registerClient({ clientId: 'app', clientSecret: 'secret', redirectUris: [`${botUrl}/auth/atlassian/callback`], requirePkce: true });

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-auth-'));
    const config = readConfig({
      PUBLIC_URL: botUrl,
      DATA_DIR: dataDir,
      ATLASSIAN_CLIENT_ID: 'app',
      ATLASSIAN_CLIENT_SECRET: 'secret',
      ATLASSIAN_AUTH_URL: sim.url,
      ATLASSIAN_API_URL: sim.url,
    });
    store = openSqliteStore(path.join(dataDir, 'store.db'));
    services = await createConnectionServices(config, store);
    authRoutes({ connections: services, logger })(server);
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim.close();
    await store.close();
  });

  /** Opens the bot's start link and consents at the simulator; returns the bot's callback URL. */
  async function signIn(): Promise<string> {
    const start = await fetch(services.oauth!.startLink(owner, '19:conv@thread.tacv2'), { redirect: 'manual' });
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location')!);
    assert.equal(authorize.origin, sim.url);
    authorize.searchParams.set('account_id', accountId);
    const consent = await fetch(authorize, { redirect: 'manual' });
    return consent.headers.get('location')!;
  }

  /** The one-time code the last page shows, to be sent in Teams. */
  const codeOf = (page: string) => /id="sign-in-code">([A-Z2-9]{4}-[A-Z2-9]{4})</.exec(page)?.[1];

  it('shows a one-time code after consent, and connects once the asker sends it in Teams', async () => {
    const callback = await fetch(await signIn());
    const body = await callback.text();
    assert.equal(callback.status, 200);
    assert.match(body, /To connect <b>jira-sim<\/b> as <b>.+<\/b>, go back to your chat with the Jira app in Teams and send this code/);
    assert.equal(callback.headers.get('cache-control'), 'no-store');
    const code = codeOf(body);
    assert.ok(code, body);
    assert.equal(await services.repository.get(owner), undefined, 'consent alone connects nobody');

    const confirmed = await services.oauth!.flow.confirm(owner, code);
    assert.equal(confirmed.kind, 'connected');
    assert.equal(confirmed.conversationId, '19:conv@thread.tacv2');
    const { jira } = await services.jiraFor(owner);
    assert.equal((await jira.v3.myself.getCurrentUser()).accountId, accountId);
    assert.ok(!logs.raw().includes(((await services.repository.get(owner)) as OAuthConnection).accessToken), 'no token in logs');
  });

  it('refuses a replayed callback with a page saying the link was used', async () => {
    const callbackUrl = await signIn();
    assert.equal((await fetch(callbackUrl)).status, 200);
    const replay = await fetch(callbackUrl);
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /expired or was already used/);
  });

  it('starts a sign-in link once: opened again, by anyone, it says so and starts nothing', async () => {
    const link = services.oauth!.startLink(owner, '19:conv@thread.tacv2');
    assert.equal((await fetch(link, { redirect: 'manual' })).status, 302);
    const again = await fetch(link, { redirect: 'manual' });
    assert.equal(again.status, 400);
    assert.match(await again.text(), /already opened/);
  });

  it('refuses a forged start link', async () => {
    const response = await fetch(`${botUrl}/auth/atlassian/start?ticket=forged.ticket`, { redirect: 'manual' });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /expired/);
  });

  it('lets the user pick a site when the grant reaches several, with names escaped', async () => {
    sim.oauth.sites.add({ cloudId: 'second-cloud', name: '<b>Second</b>', url: 'https://second.atlassian.net' });
    const picker = await (await fetch(await signIn())).text();
    assert.ok(picker.includes('&#60;b&#62;Second&#60;/b&#62;'));
    assert.ok(!picker.includes('<b>Second</b>'));
    const choice = /name="choice" value="([^"]+)"/.exec(picker)![1];
    const chosen = await fetch(`${botUrl}/auth/atlassian/site`, {
      method: 'POST',
      body: new URLSearchParams({ choice, cloudId: sim.cloudId }),
    });
    assert.equal(chosen.status, 200);
    const code = codeOf(await chosen.text());
    assert.ok(code);
    await services.oauth!.flow.confirm(owner, code);
    assert.equal(((await services.repository.get(owner)) as OAuthConnection).cloudId, sim.cloudId);
  });
});
