import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_WEBHOOK_PATH } from '../../bot/src/http/webhook-routes';
import type { Scenario } from '../scenario';

const SECRET = 'bench-webhook-secret';
const SITE_ID = 'bench';
/** The recorded body's own site: the route refuses a body whose links name another site (403). */
const SITE_URL = 'https://some-instance-test.atlassian.net';
const RECORDED_CHANGELOG_ID = '"id": "10228"';
/**
 * The recorded body Jira sent for a status change (9 KB; the repository's copy of
 * ../shared/ref/jira/samples/webhook.jira-issue_updated.changelog-status.json), byte for byte but
 * for the changelog id.
 */
const recorded = fs.readFileSync(path.join(__dirname, '../../bot/test/fixtures/jira-webhooks/webhook.jira-issue_updated.changelog-status.json'), 'utf8');
if (recorded.split(RECORDED_CHANGELOG_ID).length !== 2) throw new Error('The recorded webhook no longer holds exactly one changelog id 10228');

/**
 * Each request is a new change: the intake dedupes on the event id (issue id + changelog id),
 * so repeating one body would measure the "duplicate" shortcut instead of a stored event.
 * Signed per request like Jira's admin webhooks (`X-Hub-Signature: sha256=<HMAC of the raw body>`).
 */
let changelogId = 1_000_000;
const nextWebhook = () => {
  changelogId += 1;
  const body = recorded.replace(RECORDED_CHANGELOG_ID, `"id": "${changelogId}"`);
  return { body, headers: { 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } };
};

const first = nextWebhook();

/** The ceiling for intake: restify with the same body parser reading the same 9 KB body, answering 202. */
export const bareRestifyWebhookBody: Scenario = {
  name: 'bare restify POST, 9 KB webhook body',
  async start() {
    const { default: restify } = await import('restify');
    const server = restify.createServer();
    server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 4 * 1024 * 1024 }));
    server.post('/hook', async (_req, res) => {
      res.send(202);
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address();
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
        }),
    };
  },
  request: { method: 'POST', path: '/hook', headers: { 'content-type': 'application/json' }, body: first.body, vary: nextWebhook },
};

/**
 * Webhook intake as deployed: the service's HTTP layer (createHttpServer) with the real admin
 * webhook route, HMAC verification, normalization, dedupe and the intake over the SQLite store.
 *
 * "Accepted durably" here means what the 202 means in production: the event's inbox row is
 * committed to the SQLite file (WAL, synchronous=NORMAL) before the answer, by the conditional
 * insert that also dedupes it (Store.insertNew).
 * A crash of the process after the 202 loses nothing; with synchronous=NORMAL a power loss can
 * drop the last commits not yet checkpointed to disk, which Jira would not retry. Routing to
 * the outbox happens after the answer and is not part of this number.
 */
export const webhookIntake: Scenario = {
  name: 'webhook intake (signed, SQLite)',
  baseline: bareRestifyWebhookBody.name,
  target: { text: '>= 0.75x baseline throughput', met: ({ throughput }) => throughput >= 0.75 },
  async start() {
    const [{ alertIntake, INBOX_TABLE }, { createHttpServer }, { webhookRoutes }, { createLogger }, { openSqliteStore }] = await Promise.all([
      import('../../bot/src/alerts/alert-intake.js'),
      import('../../bot/src/http/create-http-server.js'),
      import('../../bot/src/http/webhook-routes.js'),
      import('../../bot/src/log/create-logger.js'),
      import('../../bot/src/store/sqlite-store.js'),
    ]);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-bench-'));
    const store = openSqliteStore(path.join(dataDir, 'store.db'));
    const logger = createLogger({ level: 'warn' });
    const intake = alertIntake(store);
    const server = createHttpServer({
      logger,
      processActivity: async (_req, res) => {
        res.send(404);
      },
      readiness: async () => ({ ready: true, checks: {} }),
      routes: [webhookRoutes({ site: async (id) => (id === SITE_ID ? { url: SITE_URL, adminSecrets: [SECRET] } : undefined), intake, logger })],
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address();
    return {
      url: `http://127.0.0.1:${port}`,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        // 202 is also the answer to a duplicate: the stored count shows every request was a new event.
        process.stderr.write(`bench: webhook intake stored ${(await store.list(INBOX_TABLE)).length} events\n`);
        await store.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  request: {
    method: 'POST',
    path: ADMIN_WEBHOOK_PATH.replace(':siteId', SITE_ID),
    headers: { 'content-type': 'application/json' },
    body: first.body,
    vary: nextWebhook,
  },
};
