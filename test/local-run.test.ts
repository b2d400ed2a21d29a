import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectPlayground } from '../dev/bot-connector-emu/src';

const ROOT = resolve(__dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
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

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-run-'));
  });

  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the simulator, the bot and the Playground, carries a help message both ways, and stops them all', async () => {
    const ports = { JIRA_SIM_PORT: await freePort(), PORT: await freePort(), PLAYGROUND_PORT: await freePort() };
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-local.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const [, playgroundUrl] = await waitForOutput(() => output, /Agents Playground \(chat with the bot\):\s+(\S+)/, child, 100_000);
    const pids = [...output.matchAll(/started (\S+) \(pid (\d+)\)/g)].map((m) => ({ name: m[1], pid: Number(m[2]) }));
    assert.deepEqual(pids.map((p) => p.name).sort(), ['bot', 'jira-sim', 'playground']);
    assert.equal(playgroundUrl, `http://localhost:${ports.PLAYGROUND_PORT}`);
    assert.match(output, new RegExp(`Bot endpoint:\\s+http://localhost:${ports.PORT}/api/messages`));
    assert.match(output, new RegExp(`Jira simulator:\\s+http://localhost:${ports.JIRA_SIM_PORT}`));
    assert.match(output, /Demo users/, 'the summary repeats the simulator\'s demo credentials');

    const page = await fetch(`http://127.0.0.1:${ports.PLAYGROUND_PORT}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const health = await fetch(`http://127.0.0.1:${ports.PORT}/healthz`);
    assert.equal(health.status, 200);

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
    const exitCode = await new Promise<number | null>((done) => {
      if (child!.exitCode !== null) done(child!.exitCode);
      else child!.once('exit', (code) => done(code));
    });
    assert.equal(exitCode, 0, output.split('\n').slice(-10).join('\n'));
    assert.match(output, /stopped: jira-sim \(.+\), bot \(.+\), playground \(.+\)/);
    for (const { name, pid } of pids) assert.equal(isAlive(pid), false, `${name} (pid ${pid}) still runs`);
  });
});
