import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeActivity, postActivity, startBotConnector, type BotConnector } from '@jira-teams/bot-connector-emu';
import { startJiraSim, type JiraSim } from '@jira-teams/jira-sim';
import { ConnectVerb } from '../../src/cards/connect-card';
import { ConnectionErrorCode, connectionErrorMessage, type ConnectionError } from '../../src/connections/connection-error';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const owner = { tenantId: 'tenant-1', userId: 'aad-attacker' };

async function refusal(testBot: TestBot, siteUrl: string): Promise<ConnectionError> {
  return (await testBot.bot.connections.connectWithApiToken(owner, { siteUrl, email: 'mallory@example.com', apiToken: 'token' }).then(
    () => assert.fail(`expected ${siteUrl} to be refused`),
    (e: unknown) => e,
  )) as ConnectionError;
}

describe('security: API-token connect goes only to allowed Jira sites (issue 15 item 1)', () => {
  let sim: JiraSim;
  let internal: http.Server;
  let internalPort: number;
  const internalHits: string[] = [];
  let testBot: TestBot;
  let connector: BotConnector;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    connector = await startBotConnector();
    // Stands for an internal service: it answers like Jira, so only the policy keeps the bot away.
    internal = http.createServer((req, res) => {
      internalHits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"accountId":"internal","displayName":"Internal"}');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    internalPort = (internal.address() as AddressInfo).port;
    testBot = await startTestBot({ JIRA_ALLOWED_SITES: sim.url });
  });

  after(async () => {
    await testBot?.close();
    await connector?.close();
    internal?.closeAllConnections();
    internal?.close();
    await sim?.close();
  });

  it('refuses loopback, private, metadata and CGNAT hosts with a message naming the host', async () => {
    for (const [siteUrl, host] of [
      ['https://127.0.0.1.nip.io', '127.0.0.1.nip.io'],
      ['https://10.0.0.1', '10.0.0.1'],
      ['https://192.168.1.10/browse/KAN-1', '192.168.1.10'],
      ['https://169.254.169.254/latest/meta-data', '169.254.169.254'],
      ['https://100.64.0.1', '100.64.0.1'],
      ['https://[::ffff:127.0.0.1]', '[::ffff:7f00:1]'],
      [`http://127.0.0.1:${internalPort}`, `127.0.0.1:${internalPort}`],
      [`http://localhost:${internalPort}`, `localhost:${internalPort}`],
    ]) {
      const error = await refusal(testBot, siteUrl);
      assert.equal(error.code, ConnectionErrorCode.SiteNotAllowed, siteUrl);
      assert.equal(connectionErrorMessage(error).startsWith(`${host} is not an allowed Jira site.`), true, connectionErrorMessage(error));
    }
    assert.deepEqual(internalHits, [], 'nothing reached the internal server');
    assert.equal(await testBot.bot.connections.repository.get(owner), undefined);
  });

  it('tells the Teams user in the connect card which address is not allowed', async () => {
    const activity = invokeActivity(
      'adaptiveCard/action',
      {
        action: { type: 'Action.Execute', verb: ConnectVerb.ApiToken, data: { siteUrl: 'https://169.254.169.254/latest', email: 'mallory@example.com', apiToken: 'token' } },
        trigger: 'manual',
      },
      { serviceUrl: connector.url, conversationType: 'personal' },
    );
    const response = await postActivity(testBot.messagesUrl, activity);
    assert.equal(response.status, 200);
    // Card text escapes markdown ("169\\." would start a numbered list): read it without the escapes.
    const shown = JSON.stringify(response.body.value).replace(/\\\\/g, '');
    assert.match(shown, /169\.254\.169\.254 is not an allowed Jira site/);
  });

  it('connects to an origin listed in JIRA_ALLOWED_SITES', async () => {
    const user = sim.state.site.users[1];
    const connection = await testBot.bot.connections.connectWithApiToken(owner, { siteUrl: sim.url, email: user.email, apiToken: user.apiToken });
    assert.equal(connection.accountId, user.accountId);
    const { jira } = await testBot.bot.connections.jiraFor(owner);
    assert.equal((await jira.v3.myself.getCurrentUser()).accountId, user.accountId);
    await testBot.bot.connections.repository.remove(owner);
  });

  it('logs the refused host at most, never the address typed or the token', async () => {
    await refusal(testBot, `http://127.0.0.1:${internalPort}/secret-path?token=abc`);
    const logged = testBot.logs.raw();
    assert.doesNotMatch(logged, /secret-path|token=abc|mallory@example\.com/);
  });
});
