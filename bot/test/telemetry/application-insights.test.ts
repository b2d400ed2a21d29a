import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  DEFAULT_TENANT_ID,
  TEAM_ID,
  invokeActivity,
  teamAadGroupId,
  postActivity,
  startBotConnector,
  teamsMember,
  type Account,
  type BotConnector,
} from '../../../dev/bot-connector-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { SubscriptionVerb } from '../../src/cards/subscription-verb';
import { readConfig } from '../../src/config';
import { connectionOwner } from '../../src/connections/connection';
import { createConnectionServices } from '../../src/connections/create-connection-services';
import { openSqliteStore } from '../../src/store/sqlite-store';

interface Envelope {
  name?: string;
  tags?: Record<string, string>;
  data?: { baseType?: string; baseData?: { name?: string; url?: string; target?: string; responseCode?: string; resultCode?: string; metrics?: Array<{ name: string }> } };
}

/**
 * Application Insights' ingestion endpoint (POST /v2.1/track), played on loopback over TLS (the
 * exporter speaks nothing else) with a certificate made for the test: it keeps what it is sent.
 */
async function startIngestion(dir: string) {
  const key = path.join(dir, 'ingestion.key');
  const cert = path.join(dir, 'ingestion.crt');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(made.status, 0, made.stderr);
  const envelopes: Envelope[] = [];
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      const text = body.toString('utf8').trim();
      if (req.url?.startsWith('/v2.1/track') && text) {
        const parsed = text.startsWith('[') ? (JSON.parse(text) as Envelope[]) : text.split('\n').map((line) => JSON.parse(line) as Envelope);
        envelopes.push(...parsed);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    /** For NODE_EXTRA_CA_CERTS: the service trusts this endpoint and nothing else new. */
    caFile: cert,
    envelopes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Owns the team and administers the simulator's PHX project (its carol). */
const OWNER: Account = { id: '29:owen-owner', name: 'Owen Owner', aadObjectId: '0a0a0a0a-0000-4000-8000-0000000000a1' };

/**
 * Connects OWNER to Jira in the SQLite file the service will open, as `connect` would have before
 * a restart: the service then acts as them through jira.js. In local mode the token key is the one
 * generated into the same DATA_DIR, so the service can read what is written here.
 */
async function connectOwner(dataDir: string, sim: JiraSim): Promise<void> {
  const config = readConfig({ DATA_DIR: dataDir, JIRA_ALLOWED_SITES: 'http://127.0.0.1:*' });
  if (config.store.kind !== 'sqlite') throw new Error('expected the SQLite store');
  const store = openSqliteStore(config.store.path);
  try {
    const carol = sim.state.userByEmail('carol@example.com') ?? assert.fail('no simulator user carol');
    const connections = await createConnectionServices(config, store);
    await connections.connectWithApiToken(connectionOwner(DEFAULT_TENANT_ID, OWNER), { siteUrl: sim.url, email: carol.email, apiToken: carol.apiToken });
  } finally {
    await store.close();
  }
}

/**
 * The service as deployed (index.ts, a process of its own), with APPLICATIONINSIGHTS_CONNECTION_STRING
 * pointing at a loopback ingestion endpoint: requests, outgoing calls and the service's metrics
 * arrive there as Application Insights envelopes. Jira is the simulator, and Microsoft Graph and the
 * Bot Connector are their emulation.
 */
describe('telemetry to Application Insights', function () {
  this.timeout(120_000);
  let sim: JiraSim;
  let connector: BotConnector;
  let ingestion: Awaited<ReturnType<typeof startIngestion>>;
  let dataDir: string;
  before(async () => {
    sim = await startJiraSim({ port: 0 });
    // The Bot Connector emulation also plays Microsoft Graph, which the service asks who owns a team.
    connector = await startBotConnector();
    connector.seedTeam({ id: TEAM_ID, name: 'Phoenix', members: [teamsMember({ id: OWNER.id, aadObjectId: OWNER.aadObjectId })], owners: [OWNER.aadObjectId!] });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-telemetry-'));
    ingestion = await startIngestion(dataDir);
    await connectOwner(dataDir, sim);
  });
  after(async () => {
    await ingestion?.close();
    await connector?.close();
    await sim?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends spans of turns, webhook intake and outgoing calls, and the service metrics', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../src/index.ts')], {
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        BOT_ID: '',
        JIRA_BASE_URL: sim.url,
        GRAPH_BASE_URL: connector.graphUrl,
        ALERT_POLL_INTERVAL_SECONDS: '0',
        JIRA_ALLOWED_SITES: 'http://127.0.0.1:*',
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${ingestion.url}`,
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
        // The distro keeps at most 5 traces a second by default, deciding by a moving average, so a
        // few requests in a row can lose one; this test is about what is traced, not how much is kept.
        OTEL_TRACES_SAMPLER: 'always_on',
        NODE_EXTRA_CA_CERTS: ingestion.caFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"listening"/.exec(output);
        if (listening) resolve(listening[1]);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then(() => reject(new Error(`the service exited before listening:\n${output}`)));
    });
    try {
      assert.match(output, /telemetry to Application Insights is on/);
      // A turn that does real work: the team's owner saves an alert subscription, which the service
      // checks with Microsoft Graph (is this person an owner of the team?) and with Jira through
      // jira.js (may they administer PHX?) before it stores it.
      const save = invokeActivity(
        'composeExtension/fetchTask',
        {},
        {
          serviceUrl: connector.url,
          conversationType: 'channel',
          conversationId: TEAM_ID,
          teamId: TEAM_ID,
          from: OWNER,
          overrides: {
            name: 'task/submit',
            value: { data: { verb: SubscriptionVerb.Save, site: sim.url, projects: 'PHX', events: 'created', statuses: '', fields: '', twoWayThreads: 'false' } },
          },
        },
      );
      const saved = await postActivity(`${url}/api/messages`, save);
      assert.deepEqual({ status: saved.status, body: saved.body }, { status: 200, body: undefined }, 'the dialog closes on save');
      // A webhook without a signature (401) and a readiness check that calls Jira.
      const hook = await fetch(`${url}/api/jira/webhooks/admin/unknown-site`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.ok(hook.status >= 400 && hook.status < 500, `webhook answered ${hook.status}`);
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      // A clean stop flushes every span and exports the metrics once more.
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, output);
    const requests = ingestion.envelopes.filter((e) => e.data?.baseType === 'RequestData');
    const turn = requests.find((e) => /POST/.test(e.data!.baseData!.name ?? '') && /\/api\/messages/.test(e.data!.baseData!.url ?? ''));
    assert.equal(turn?.data!.baseData!.responseCode, '200', `no request span for the turn: ${JSON.stringify(requests)}`);
    assert.ok(
      requests.some((e) => /\/api\/jira\/webhooks\/admin/.test(e.data!.baseData!.url ?? '')),
      `no request span for webhook intake: ${JSON.stringify(requests)}`,
    );
    assert.ok(!requests.some((e) => /\/healthz/.test(e.data!.baseData!.url ?? '')), "App Service's health probe is not traced");

    const dependencies = ingestion.envelopes.filter((e) => e.data?.baseType === 'RemoteDependencyData');
    /** The dependency spans named `name` whose target is `url`'s host (the exporter leaves the port off calls made through fetch). */
    const calls = (name: string, url: URL) => dependencies.filter((e) => e.data!.baseData!.name === name && [url.host, url.hostname].includes(e.data!.baseData!.target ?? ''));
    const inTheTurn = (found: Envelope[]) => found.some((e) => e.tags?.['ai.operation.id'] === turn.tags?.['ai.operation.id']);
    const seen = JSON.stringify(dependencies.map((e) => e.data!.baseData));
    const jira = new URL(sim.url);
    const graph = new URL(connector.graphUrl);
    // jira.js (axios over node:http), the path every user-facing Jira call takes, within the turn's operation.
    assert.ok(inTheTurn(calls('GET /rest/api/3/mypermissions', jira)), `no dependency span for the turn's Jira call through jira.js: ${seen}`);
    // Microsoft Graph (fetch), within the turn's operation too.
    assert.ok(inTheTurn(calls(`GET ${graph.pathname}/teams/${teamAadGroupId(TEAM_ID)}/members`, graph)), `no dependency span for the turn's Microsoft Graph call: ${seen}`);
    // /readyz's Jira check goes through fetch.
    assert.ok(calls('GET /rest/api/3/serverInfo', jira).length > 0, `no dependency span for the call to Jira made through fetch: ${seen}`);
    const metricNames = new Set(ingestion.envelopes.filter((e) => e.data?.baseType === 'MetricData').flatMap((e) => e.data!.baseData!.metrics!.map((m) => m.name)));
    for (const name of ['jira_teams.panels.open', 'jira_teams.outbox.conversations', 'jira_teams.outbox.depth', 'jira_teams.outbox.parked']) {
      assert.ok(metricNames.has(name), `no ${name} among ${[...metricNames].join(', ')}`);
    }
  });
});
