import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { DEFAULT_TENANT_ID, installationUpdateAdd, postActivity, startBotConnector } from '../../../dev/bot-connector-emu/src';
import { alertOutbox, OUTBOX_TABLE, type OutboxEntry } from '../../src/alerts/alert-outbox';
import { conversationReferences } from '../../src/conversations/conversation-references';
import { openAzureTableStore } from '../../src/store/azure-table-store';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { Store } from '../../src/store/store';
import { startAzurite, type Azurite } from '../support/azurite';
import { startTestBot } from '../support/start-test-bot';
import { cardText } from '../support/validate-card';
import { issueEvent } from './issue-event-builder';

const ROOT = path.resolve(__dirname, '../../..');
const CONVERSATIONS = 40;
const PER_CONVERSATION = 8;

/** The bot as `npm start` runs it (bot/src/index.ts), in a child process that the test can kill -9. */
function spawnBot(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'bot/src/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ALERT_POLL_INTERVAL_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

interface HeldSend {
  conversationId: string;
  answer(): void;
  /** The sender hung up before its answer: a killed process's send in flight. */
  senderGone(): boolean;
}

/**
 * A loopback front for the Bot Connector emulation that can hold Teams' answers: each send is
 * passed on at once (Teams accepts and shows it), but while `hold` is on its answer waits. A
 * bot process killed then has exactly those sends in flight: delivered, never recorded as sent.
 */
async function startHoldingFront(target: string) {
  const held: HeldSend[] = [];
  let hold = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => body.push(chunk));
        answer.on('end', () => {
          const reply = () => {
            if (res.destroyed) return;
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(body));
          };
          const conversationId = decodeURIComponent(/\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '');
          if (!hold || !conversationId) return reply();
          held.push({ conversationId, answer: reply, senderGone: () => res.destroyed || req.socket.destroyed });
        });
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    held,
    startHolding() {
      hold = true;
    },
    /** Answers every held send whose sender is still there, and holds nothing more. */
    release() {
      hold = false;
      for (const send of held) send.answer();
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Polls a condition; the test's own timeout bounds it. */
async function waitUntil(condition: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Backend {
  /** Environment that points a bot process at the shared store. */
  env: Record<string, string>;
  open(): Promise<Store>;
}

/**
 * `deliveryMs`: how long the rest of the burst may take after the kill, the victim's leases
 * (15 s) included: far less than the minute each row's own lease used to hold it.
 */
function runCrashScenario(name: string, deliveryMs: number, backend: () => Promise<Backend>): void {
  it(`after kill -9 of an instance mid-burst (${name}), another takes its conversations over: nothing lost, in order, at most the send in flight repeated per conversation`, async function () {
    this.timeout(240_000);
    const connector = await startBotConnector({ enforceTeamsLimits: true });
    const front = await startHoldingFront(connector.url);
    const { env, open } = await backend();
    const store = await open();
    const children: Array<ReturnType<typeof spawnBot>> = [];
    try {
      const conversations = Array.from({ length: CONVERSATIONS }, (_, i) => `19:crash-${i}@thread.tacv2`);
      // The app is installed in each channel (the server stores the reference Teams gives it).
      const installer = await startTestBot();
      try {
        for (const conversationId of conversations) {
          await postActivity(installer.messagesUrl, installationUpdateAdd({ serviceUrl: front.url, conversationType: 'channel', conversationId, teamId: '19:team@thread.tacv2' }));
          const record = await conversationReferences(installer.bot.store).get(DEFAULT_TENANT_ID, conversationId);
          assert.ok(record);
          await conversationReferences(store).save(record);
        }
      } finally {
        await installer.close();
      }
      connector.clear();

      // A burst: 320 alerts waiting in the shared outbox, 8 per channel, each channel's in order of change.
      const outbox = alertOutbox(store);
      const expected = new Map<string, string[]>();
      for (let i = 0; i < PER_CONVERSATION; i++) {
        for (const [c, conversationId] of conversations.entries()) {
          const key = `CRASH-${c * 100 + i}`;
          await outbox.enqueue(issueEvent({ key }), [{ target: { tenantId: DEFAULT_TENANT_ID, conversationId }, subscriptionIds: ['s'] }]);
          expected.set(conversationId, [...(expected.get(conversationId) ?? []), key]);
        }
      }

      // Two instances start on the burst together. Mid-burst Teams' answers are held, so each
      // drain has a send in flight that Teams accepted; then the instance doing most of the
      // sending is killed, and the other has to take its conversations over.
      const instances = [spawnBot(env), spawnBot(env)];
      children.push(...instances);
      const sent = () => connector.activities().length;
      await waitUntil(() => sent() >= 60, 'a first part of the burst went out', 60_000);
      front.startHolding();
      await waitUntil(() => front.held.length >= 6, 'several sends are in flight', 20_000);
      const deliveredBy = (instance: ReturnType<typeof spawnBot>) => instance.output().split('"msg":"alert delivered"').length;
      const [victim, survivor] = deliveredBy(instances[0]) >= deliveredBy(instances[1]) ? instances : [instances[1], instances[0]];
      await stopChild(victim.child, 'SIGKILL');
      // Which held sends were the victim's shows once its sockets are closed (the kernel closes them
      // at its death; the front sees it within a moment). Which instance has sends on the wire when
      // the answers are held depends on where each drain is in Teams' windows, so it may be neither.
      await waitUntil(() => front.held.some((send) => send.senderGone()), 'the victim had a send on the wire', 2_000).catch(() => undefined);
      const victimsOnTheWire = new Set(front.held.filter((send) => send.senderGone()).map((send) => send.conversationId));
      // In flight at the kill: sends whose answer Teams has not given yet, and rows marked as being
      // sent whose answer came but was not recorded yet (the victim died between the two).
      const inFlight = new Set(front.held.map((send) => send.conversationId));
      for (const row of await store.list<OutboxEntry>(OUTBOX_TABLE)) if (row.value.sending) inFlight.add(row.value.target.conversationId);
      front.release();

      const keysOf = (conversationId: string) =>
        connector.activities(conversationId).map((call) => /\b(CRASH-\d+)\b/.exec(cardText(call.body.attachments?.[0]?.content ?? {}))?.[1] ?? '?');
      const allDelivered = () => conversations.every((c) => new Set(keysOf(c)).size === PER_CONVERSATION);
      // The victim's conversations wait for its ownership leases (15 s) to run out, then go on.
      await waitUntil(allDelivered, () => `every alert reached its channel (${conversations.reduce((n, c) => n + new Set(keysOf(c)).size, 0)} did)`, deliveryMs);
      assert.ok(survivor.child.exitCode === null, 'the survivor is still running');
      await waitUntil(async () => (await store.list(OUTBOX_TABLE)).length === 0, 'the outbox is empty', 20_000);

      let duplicates = 0;
      for (const conversationId of conversations) {
        const keys = keysOf(conversationId);
        const firsts = keys.filter((key, i) => keys.indexOf(key) === i);
        assert.deepEqual(firsts, expected.get(conversationId), `${conversationId}: in the order of the changes`);
        const repeated = keys.length - firsts.length;
        assert.ok(repeated <= 1, `${conversationId} got ${repeated} repeats: ${keys.join(', ')}`);
        if (repeated === 1) {
          // The one repeat is the send that was in flight: it shows up again next to itself.
          const twice = keys.find((key, i) => keys.indexOf(key) !== i);
          assert.equal(keys.lastIndexOf(twice!) - keys.indexOf(twice!), 1, `${conversationId}: ${keys.join(', ')}`);
        }
        duplicates += repeated;
        assert.ok(connector.sendRate(conversationId).withinLimits, `${conversationId}: Teams' limits held across the two instances`);
      }
      // Only what was in flight when the victim died went out twice, one send per conversation at most;
      // a send of the victim's that Teams accepted and never answered is sent again by the survivor.
      if (victimsOnTheWire.size > 0) assert.ok(duplicates >= 1, `the victim died with sends Teams had accepted in ${victimsOnTheWire.size} conversations`);
      assert.ok(duplicates <= inFlight.size, `${duplicates} repeated, sends in flight in ${inFlight.size} conversations at the kill`);
      assert.equal(connector.calls.filter((call) => call.status === 429).length, 0, 'no send refused for a Teams limit');
    } catch (error) {
      for (const [i, { output }] of children.entries()) {
        const lines = output()
          .split('\n')
          .filter((line) => !line.includes('"msg":"alert delivered"'));
        process.stderr.write(`--- bot process ${i} ---\n${lines.join('\n').slice(-4_000)}\n`);
      }
      throw error;
    } finally {
      for (const { child } of children) await stopChild(child, 'SIGTERM');
      await store.close();
      await front.close();
      await connector.close();
    }
  });
}

describe('alert delivery across a crash (bot processes killed with SIGKILL)', () => {
  runCrashScenario('SQLite', 40_000, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-crash-'));
    return { env: { DATA_DIR: dataDir }, open: async () => openSqliteStore(path.join(dataDir, 'jira-teams.db')) };
  });

  describe('on Azure Tables (Azurite)', () => {
    let azurite: Azurite;
    before(async () => {
      azurite = await startAzurite();
    });
    after(async () => {
      await azurite?.stop();
    });
    runCrashScenario('Azure Tables', 90_000, async () => ({
      env: { STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-crash-')) },
      open: () => openAzureTableStore({ connectionString: azurite.connectionString }),
    }));
  });
});
