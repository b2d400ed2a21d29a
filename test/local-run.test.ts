import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectPlayground } from '../dev/bot-connector-emu/src';
import { isPortBusy } from '../scripts/start-local/find-busy-port';
import { formatLogLine } from '../scripts/start-local/format-log-line';
import { readLocalRunOptions } from '../scripts/start-local/read-local-run-options';

const ROOT = resolve(__dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

interface Ports {
  JIRA_SIM_PORT: number;
  PORT: number;
  PLAYGROUND_PORT: number;
  ENTRA_EMU_PORT: number;
  TEAMS_HOST_EMU_PORT: number;
  TEAMS_CLIENT_PORT: number;
  TEAMS_CLIENT_CONNECTOR_PORT: number;
}

async function freePorts(): Promise<Ports> {
  return {
    JIRA_SIM_PORT: await freePort(),
    PORT: await freePort(),
    PLAYGROUND_PORT: await freePort(),
    ENTRA_EMU_PORT: await freePort(),
    TEAMS_HOST_EMU_PORT: await freePort(),
    TEAMS_CLIENT_PORT: await freePort(),
    TEAMS_CLIENT_CONNECTOR_PORT: await freePort(),
  };
}

function startLocal(ports: Ports, dataDir: string, onOutput: (text: string) => void, args: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-local.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  return child;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });
}

function startedParts(output: string): Array<{ name: string; pid: number }> {
  return [...output.matchAll(/started (\S+) \(pid (\d+)\)/g)].map((m) => ({ name: m[1], pid: Number(m[2]) }));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitForOutput(output: () => string, pattern: RegExp, child: ChildProcess, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    const timer = setInterval(() => {
      const match = output().match(pattern);
      if (match) {
        clearInterval(timer);
        resolvePromise(match);
      } else if (child.exitCode !== null || Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`start-local never printed ${pattern} (exit ${child.exitCode}). Output:\n${output()}`));
      }
    }, 50);
    const deadline = Date.now() + timeoutMs;
  });
}

describe('npm start (scripts/start-local.ts)', function () {
  // Three Node processes compile TypeScript on start; a loaded machine needs the headroom.
  this.timeout(120_000);

  let child: ChildProcess | undefined;
  let dataDir: string;
  let output = '';
  let spawnedOutput = '';

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-run-'));
  });

  afterEach(function () {
    // After a failure, leave no process behind: the parts run in their own process groups, so killing
    // start-local alone would orphan them. Only this test's pids, and only while start-local still runs.
    if (this.currentTest?.state === 'failed' && child && child.exitCode === null && child.signalCode === null) {
      for (const { pid } of startedParts(output + spawnedOutput)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }
    output = '';
    spawnedOutput = '';
  });

  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with --playground: starts the simulator, the bot, the Playground and the tab emulations, carries a help message both ways, and stops them all', async () => {
    const ports = await freePorts();
    child = startLocal(ports, dataDir, (text) => (output += text), ['--playground']);

    const [, playgroundUrl] = await waitForOutput(() => output, /Agents Playground \(chat with the bot\):\s+(\S+)/, child, 100_000);
    const pids = startedParts(output);
    assert.deepEqual(pids.map((p) => p.name).sort(), ['bot', 'entra-emu', 'jira-sim', 'playground', 'teams-host']);
    assert.equal(playgroundUrl, `http://localhost:${ports.PLAYGROUND_PORT}`);
    assert.match(output, new RegExp(`Bot endpoint:\\s+http://localhost:${ports.PORT}/api/messages`));
    assert.match(output, new RegExp(`Jira simulator:\\s+http://localhost:${ports.JIRA_SIM_PORT}`));
    assert.match(output, /Demo users/, "the summary repeats the simulator's demo credentials");

    const page = await fetch(`http://127.0.0.1:${ports.PLAYGROUND_PORT}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const health = await fetch(`http://127.0.0.1:${ports.PORT}/healthz`);
    assert.equal(health.status, 200);

    // The side panel link: the Teams host page framing the bot's tab as the Playground's user.
    const [, sidePanelUrl] = output.match(/Meeting side panel[^\n]*\n[^\n]*\n\s+(http\S+)/) ?? [];
    assert.ok(sidePanelUrl, 'the summary prints the side panel URL');
    const link = new URL(sidePanelUrl);
    assert.equal(link.port, String(ports.TEAMS_HOST_EMU_PORT));
    assert.equal(link.searchParams.get('tab'), `http://localhost:${ports.PORT}/tab/?view=config`);
    const playgroundConfig = (await (await fetch(`http://127.0.0.1:${ports.PLAYGROUND_PORT}/_internal/v1/config`)).json()) as { config: { currentUser: { aadObjectId: string } } };
    assert.equal(link.searchParams.get('oid'), playgroundConfig.config.currentUser.aadObjectId, "the Playground's user, whose connect the tab then sees");
    const hostPage = await fetch(sidePanelUrl.replace('localhost', '127.0.0.1'));
    assert.equal(hostPage.status, 200);
    assert.match(await hostPage.text(), /<iframe id="tab"/);
    const tabPage = await fetch(link.searchParams.get('tab')!.replace('localhost', '127.0.0.1'));
    assert.equal(tabPage.status, 200, 'the bot serves the built tab (npm test builds it first)');
    assert.match(await tabPage.text(), /<div id="root">/);
    // The host page's token is one the bot accepts: the user is known, just not connected to Jira yet.
    const minted = await fetch(`http://127.0.0.1:${ports.TEAMS_HOST_EMU_PORT}/_host/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: link.searchParams.get('name'), aadObjectId: link.searchParams.get('oid'), tenantId: link.searchParams.get('tid') }),
    });
    const { token } = (await minted.json()) as { token: string };
    const backlog = await fetch(`http://127.0.0.1:${ports.PORT}/api/tab/backlogs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Local', jql: 'project = PHX' }),
    });
    assert.equal(backlog.status, 403);
    assert.equal(((await backlog.json()) as { error: { code: string } }).error.code, 'notConnected');

    // A change in the simulator reaches the bot through the admin webhook npm start registered.
    const sim = `http://127.0.0.1:${ports.JIRA_SIM_PORT}`;
    // npm start runs the simulator as Jira Cloud behaves (JIRA_SIM_REALISM=default would turn that off),
    // so the webhook below arrives in the REST v2 shape, as a thin comment event.
    const realism = (await (await fetch(`${sim}/_sim/realism`)).json()) as { webhookRestV2: boolean; thinCommentEvents: boolean; searchLagMs: number };
    assert.deepEqual([realism.webhookRestV2, realism.thinCommentEvents, realism.searchLagMs > 0], [true, true, true]);
    const alice = { authorization: `Basic ${Buffer.from('alice@example.com:sim-token-alice').toString('base64')}`, 'content-type': 'application/json' };
    const comment = { body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'local run' }] }] } };
    assert.equal((await fetch(`${sim}/rest/api/3/issue/PHX-1/comment`, { method: 'POST', headers: alice, body: JSON.stringify(comment) })).status, 201);
    await fetch(`${sim}/_sim/webhooks/idle`, { method: 'POST' });
    const { deliveries } = (await (await fetch(`${sim}/_sim/webhooks/deliveries`)).json()) as { deliveries: Array<{ event: string; responses: number[] }> };
    const accepted = deliveries.filter((d) => d.event === 'comment_created' && d.responses.includes(202));
    assert.equal(accepted.length, 1, JSON.stringify(deliveries.map((d) => [d.event, d.responses])));

    const playground = await connectPlayground(`http://127.0.0.1:${ports.PLAYGROUND_PORT}`);
    try {
      const config = await playground.config();
      const before = playground.events.length;
      await playground.sendMessage(config.personalChat.id, 'help');
      const reply = await playground.waitForBotMessage({ conversationId: config.personalChat.id, botId: config.bot.id, after: before, timeoutMs: 20_000 });
      assert.ok(reply.text || reply.attachments?.length, 'the bot answered help with text or a card');
    } finally {
      await playground.close();
    }

    child.kill('SIGTERM');
    const exitCode = await exitOf(child);
    assert.equal(exitCode, 0, output.split('\n').slice(-10).join('\n'));
    assert.match(output, /stopped: jira-sim \(.+\), bot \(.+\), playground \(.+\), entra-emu \(.+\), teams-host \(.+\)/);
    for (const { name, pid } of pids) assert.equal(isAlive(pid), false, `${name} (pid ${pid}) still runs`);
  });

  it('starts the local Teams client by default, which carries help both ways; stops everything and exits 1 when one part dies', async () => {
    let text = '';
    const ports = await freePorts();
    child = startLocal(ports, dataDir, (chunk) => {
      text += chunk;
      spawnedOutput += chunk;
    });
    await waitForOutput(() => text, /Press Ctrl-C to stop everything/, child, 100_000);
    const parts = startedParts(text);
    assert.deepEqual(parts.map((p) => p.name).sort(), ['bot', 'entra-emu', 'jira-sim', 'teams-client', 'teams-host']);
    assert.match(text, new RegExp(`Teams client[^\n]*http://localhost:${ports.TEAMS_CLIENT_PORT}/\\?as=alice`));
    // Alice says help in her chat with the bot, through the client's own API (what its page calls).
    const client = `http://127.0.0.1:${ports.TEAMS_CLIENT_PORT}`;
    const setup = (await (await fetch(`${client}/api/setup`)).json()) as { conversations: Array<{ id: string; personOf?: string }> };
    const chat = setup.conversations.find((c) => c.personOf === 'alice')!.id;
    const post = (route: string, body: unknown) => fetch(`${client}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('/api/send', { as: 'alice', conversationId: chat, text: 'help' })).status, 200);
    const deadline = Date.now() + 20_000;
    let fromBot: Array<{ fromBot: boolean; attachments?: unknown[] }> = [];
    while (Date.now() < deadline && fromBot.length === 0) {
      const messages = (await (await fetch(`${client}/api/messages?conversationId=${encodeURIComponent(chat)}`)).json()) as typeof fromBot;
      fromBot = messages.filter((m) => m.fromBot);
      if (fromBot.length === 0) await new Promise((done) => setTimeout(done, 200));
    }
    assert.ok(
      fromBot.some((m) => m.attachments?.length),
      'the bot answered help with a card',
    );
    const sim = parts.find((p) => p.name === 'jira-sim')!;
    process.kill(sim.pid, 'SIGKILL');
    assert.equal(await exitOf(child), 1);
    assert.match(text, /jira-sim exited \(signal SIGKILL\); stopping everything\./);
    for (const { name, pid } of parts) assert.equal(isAlive(pid), false, `${name} (pid ${pid}) still runs`);
  });

  it('refuses to start when a port is taken, naming the port and its variable', async () => {
    const ports = await freePorts();
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(ports.PORT, '127.0.0.1', done));
    try {
      let text = '';
      child = startLocal(ports, dataDir, (chunk) => (text += chunk));
      assert.equal(await exitOf(child), 1);
      assert.match(text, new RegExp(`Port ${ports.PORT} for the bot is already in use.*set PORT to another port`));
      assert.equal(startedParts(text).length, 0, 'nothing was started');
    } finally {
      await new Promise((done) => squatter.close(done));
    }
  });
});

describe('readLocalRunOptions', () => {
  it('defaults to the documented ports', () => {
    assert.deepEqual(readLocalRunOptions({}), {
      simPort: 3990,
      botPort: 3978,
      playgroundPort: 56150,
      entraPort: 3981,
      teamsHostPort: 3982,
      teamsClientPort: 3983,
      teamsClientConnectorPort: 3984,
      playground: false,
    });
  });

  it('takes --playground, and names any other argument', () => {
    assert.equal(readLocalRunOptions({}, ['--playground']).playground, true);
    assert.throws(() => readLocalRunOptions({}, ['--bogus']), /unknown option '--bogus'/);
  });

  it('takes ports from the environment', () => {
    assert.deepEqual(
      readLocalRunOptions({
        JIRA_SIM_PORT: '4990',
        PORT: '4978',
        PLAYGROUND_PORT: '5000',
        ENTRA_EMU_PORT: '5001',
        TEAMS_HOST_EMU_PORT: '5002',
        TEAMS_CLIENT_PORT: '5003',
        TEAMS_CLIENT_CONNECTOR_PORT: '5004',
      }),
      { simPort: 4990, botPort: 4978, playgroundPort: 5000, entraPort: 5001, teamsHostPort: 5002, teamsClientPort: 5003, teamsClientConnectorPort: 5004, playground: false },
    );
  });

  it('names each bad variable', () => {
    assert.throws(
      () => readLocalRunOptions({ PORT: 'abc', PLAYGROUND_PORT: '70000' }),
      (error: Error & { problems?: string[] }) => error.problems?.length === 2 && /^PORT: .*'abc'/.test(error.problems[0]) && /^PLAYGROUND_PORT: .*'70000'/.test(error.problems[1]),
    );
  });

  it('refuses two parts on one port', () => {
    assert.throws(() => readLocalRunOptions({ PORT: '3990' }), /must differ/);
  });
});

describe('isPortBusy', () => {
  it('sees a listener on loopback, and a free port as free', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    assert.equal(await isPortBusy(port), true);
    await new Promise((done) => server.close(done));
    assert.equal(await isPortBusy(port), false);
  });
});

describe('formatLogLine', () => {
  it('turns a pino line into time, level, message and fields', () => {
    const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 2, 3, 4, 5), name: 'jira-teams', msg: 'listening', url: 'http://localhost:3978', err: { message: 'a b' } });
    assert.equal(formatLogLine(line), '03:04:05 info  listening url=http://localhost:3978 err="a b"');
  });

  it('passes other lines through', () => {
    assert.equal(formatLogLine('Listening on 56150'), 'Listening on 56150');
    assert.equal(formatLogLine('{not json'), '{not json');
    assert.equal(formatLogLine('{"a":1}'), '{"a":1}');
  });
});
