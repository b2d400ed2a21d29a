import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { cardActionValue, invokeActivity, startBotConnector } from '@jira-teams/bot-connector-emu';
import { startJiraSim } from '@jira-teams/jira-sim';
import { ConnectVerb } from '../../bot/src/cards/connect-card';
import { ADMIN_WEBHOOK_PATH } from '../../bot/src/http/webhook-routes';
import { siteIdOf } from '../../bot/src/wiring/site-directory';
import { buildServiceIfStale } from '../build-if-stale';
import type { MeasureRow, MeasureScenario } from '../measure';
import { deployedCommand } from './deployed-command';

const ROOT = path.resolve(__dirname, '../..');
/** DESIGN's memory target for the built service under the unfurl and intake load. */
const RSS_TARGET_MB = 200;
/** Seconds of each load: unfurls alone, webhooks alone, then both at once. */
const LOAD_SECONDS = Number(process.env.BENCH_MEMORY_LOAD_SECONDS ?? 3);
const CONNECTIONS = 10;
const SECRET = 'bench-webhook-secret-0123456789';
const USER = { aadObjectId: '00000000-0000-0000-0000-00000000be0c', id: '29:bench-user', name: 'Bench User' };
const RECORDED_SITE = 'https://some-instance-test.atlassian.net';
const RECORDED_CHANGELOG_ID = '"id": "10228"';
const recorded = fs.readFileSync(path.join(ROOT, 'bot/test/fixtures/jira-webhooks/webhook.jira-issue_updated.changelog-status.json'), 'utf8');

/** Peak resident set (VmHWM) and current one (VmRSS) of a live process, in MB. */
function memoryOf(pid: number): { peak: number; current: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kb('VmHWM') / 1024, current: kb('VmRSS') / 1024 };
}

/** The service process as deployed (`node <flags> bot/dist/index.js`), in local mode. */
async function startService(args: readonly string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the built service exited with ${code} before it listened`)));
  });
  // Drain what it logs afterwards, so a full pipe never stalls it.
  child.stdout.resume();
  return { url, child };
}

async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ connections: CONNECTIONS, duration: LOAD_SECONDS, ...options });
}

/**
 * One service process, connected as a demo user to the simulator (the untimed setup), resolving
 * with the timed rest: loaded with unfurls (warm cache, as repeated links are) and signed admin
 * webhooks (each a new event, stored durably), first apart, then together, it resolves with its
 * memory and how many requests it answered.
 */
async function prepareService(args: readonly string[]): Promise<() => Promise<{ idle: number; peak: number; answered: number; failed: number }>> {
  const sim = await startJiraSim({ port: 0, rateLimit: { mode: 'off' } });
  const connector = await startBotConnector({ port: 0 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-bench-'));
  const service = await startService(args, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    JIRA_BASE_URL: sim.url,
    JIRA_ALLOWED_SITES: sim.url,
    JIRA_WEBHOOK_SECRET: SECRET,
    NODE_ENV: 'production',
  });
  const stop = async () => {
    service.child.kill('SIGTERM');
    await new Promise((resolve) => service.child.once('exit', resolve));
    await connector.close();
    await sim.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const idle = memoryOf(service.child.pid!).current;
    const scope = { conversationType: 'personal' as const, from: USER, serviceUrl: connector.url };
    const user = sim.state.site.users.find((u) => u.email === 'bob@example.com')!;
    const connect = await post(
      `${service.url}/api/messages`,
      invokeActivity('adaptiveCard/action', cardActionValue({ verb: ConnectVerb.ApiToken, data: { siteUrl: sim.url, email: user.email, apiToken: user.apiToken } }), scope),
    );
    if (connect.status !== 200) throw new Error(`connecting answered ${connect.status}`);

    const unfurlBody = JSON.stringify(invokeActivity('composeExtension/queryLink', { url: `${sim.url}/browse/KAN-1` }, { ...scope, conversationType: 'channel' }));
    const first = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: unfurlBody });
    const firstText = await first.text();
    if (first.status !== 200 || !firstText.includes('KAN-1')) throw new Error(`the first unfurl answered ${first.status} without KAN-1`);

    const siteBody = recorded.split(RECORDED_SITE).join(sim.url);
    let changelogId = 2_000_000;
    const webhookPath = ADMIN_WEBHOOK_PATH.replace(':siteId', encodeURIComponent(siteIdOf(sim.url)));
    const unfurls: autocannon.Options = { url: `${service.url}/api/messages`, method: 'POST', headers: { 'content-type': 'application/json' }, body: unfurlBody };
    const webhooks: autocannon.Options = {
      url: service.url + webhookPath,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          path: webhookPath,
          setupRequest: (request: autocannon.Request) => {
            changelogId += 1;
            const body = siteBody.replace(RECORDED_CHANGELOG_ID, `"id": "${changelogId}"`);
            return { ...request, body, headers: { ...request.headers, 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } };
          },
        },
      ],
    };
    return async () => {
      try {
        const results = [await load(unfurls), await load(webhooks), ...(await Promise.all([load(unfurls), load(webhooks)]))];
        return {
          idle,
          peak: memoryOf(service.child.pid!).peak,
          answered: results.reduce((sum, r) => sum + r.requests.total, 0),
          failed: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
        };
      } finally {
        await stop();
      }
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * DESIGN's memory target: the built service (`node <flags> bot/dist/index.js`, as the container runs it)
 * under the unfurl and intake load stays under 200 MB resident. The tsx figure beside it is the
 * scenario rows' peak RSS (the same code through tsx, as `npm start` runs it).
 */
async function prepareServiceMemory(): Promise<() => Promise<MeasureRow[]>> {
  // The V8 flags the service is deployed with decide how far its heap grows: run it exactly so.
  const [, ...args] = deployedCommand();
  const build = await buildServiceIfStale();
  const measure = await prepareService(args);
  return async () => {
    const built = await measure();
    return [
      {
        name: `built service (node ${args.join(' ')}, ${build === 'built' ? 'rebuilt' : 'up to date'}), unfurl and intake load: peak RSS`,
        value: built.peak,
        unit: `MB (${built.answered} requests, ${built.failed} failed; idle ${built.idle.toFixed(0)} MB)`,
        target: `< ${RSS_TARGET_MB} MB`,
        ratio: { value: built.peak / RSS_TARGET_MB, of: 'target' },
        pass: built.peak < RSS_TARGET_MB && built.failed === 0,
      },
    ];
  };
}

export const serviceMemory: MeasureScenario = {
  name: 'service memory',
  // The service's start and connection are set up apart: run-bench makes them before it times anything.
  prepare: prepareServiceMemory,
  async run() {
    return (await prepareServiceMemory())();
  },
};
