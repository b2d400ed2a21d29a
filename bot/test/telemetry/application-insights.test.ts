import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';

interface Envelope {
  name?: string;
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

/**
 * The service as deployed (index.ts, a process of its own), with APPLICATIONINSIGHTS_CONNECTION_STRING
 * pointing at a loopback ingestion endpoint: requests, outgoing calls and the service's metrics
 * arrive there as Application Insights envelopes.
 */
describe('telemetry to Application Insights', function () {
  this.timeout(120_000);
  let sim: JiraSim;
  let ingestion: Awaited<ReturnType<typeof startIngestion>>;
  let dataDir: string;
  before(async () => {
    sim = await startJiraSim({ port: 0 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-telemetry-'));
    ingestion = await startIngestion(dataDir);
  });
  after(async () => {
    await ingestion?.close();
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
        JIRA_ALLOWED_SITES: 'http://127.0.0.1:*',
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${ingestion.url}`,
        APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
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
      // A turn (malformed, answered 400), a webhook without a signature (401) and a readiness check that calls Jira.
      assert.equal((await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 400);
      const hook = await fetch(`${url}/api/jira/webhooks/admin/unknown-site`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.ok(hook.status >= 400 && hook.status < 500, `webhook answered ${hook.status}`);
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      // A clean stop flushes every span and exports the metrics once more.
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, output);

    const requests = ingestion.envelopes.filter((e) => e.data?.baseType === 'RequestData').map((e) => e.data!.baseData!);
    assert.ok(
      requests.some((r) => /POST/.test(r.name ?? '') && /\/api\/messages/.test(r.url ?? '') && r.responseCode === '400'),
      `no request span for the turn: ${JSON.stringify(requests)}`,
    );
    assert.ok(
      requests.some((r) => /\/api\/jira\/webhooks\/admin/.test(r.url ?? '')),
      `no request span for webhook intake: ${JSON.stringify(requests)}`,
    );
    assert.ok(!requests.some((r) => /\/healthz/.test(r.url ?? '')), "App Service's health probe is not traced");
    const dependencies = ingestion.envelopes.filter((e) => e.data?.baseType === 'RemoteDependencyData').map((e) => e.data!.baseData!);
    const simHost = new URL(sim.url).host;
    assert.ok(
      dependencies.some((d) => (d.target ?? '').includes(simHost) || (d.name ?? '').includes('serverInfo')),
      `no dependency span for the call to Jira made through fetch: ${JSON.stringify(dependencies)}`,
    );
    const metricNames = new Set(ingestion.envelopes.filter((e) => e.data?.baseType === 'MetricData').flatMap((e) => e.data!.baseData!.metrics!.map((m) => m.name)));
    for (const name of ['jira_teams.panels.open', 'jira_teams.outbox.conversations', 'jira_teams.outbox.depth', 'jira_teams.outbox.parked']) {
      assert.ok(metricNames.has(name), `no ${name} among ${[...metricNames].join(', ')}`);
    }
  });
});
