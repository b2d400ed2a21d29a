import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim } from '../../../dev/jira-sim/src';
import { invokeActivity, messageActivity, startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { ADMIN_WEBHOOK_PATH, DYNAMIC_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { siteIdOf } from '../../src/wiring/site-directory';
import { startTestBot, type TestBot } from '../support/start-test-bot';

const SEED = 0x15f0_2026;
const ACTIVITIES = 1600;
const WEBHOOKS = 200;
const TAB_CALLS = 200;
const CONCURRENCY = 16;
// 2,000 requests in all: the issue's bound, inside 60 s on a 2-core machine.
const TENANT = 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f';
const AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';
const SECRET = 'fuzz-test-webhook-secret-0123456789';
const ALICE_TEAMS = { id: '29:alice-fuzz', name: 'Alice Admin', aadObjectId: 'a11ce000-0000-4000-8000-0000000000f1' };
const BOB_TEAMS = { id: '29:bob-fuzz', name: 'Bob Builder', aadObjectId: 'b0b00000-0000-4000-8000-0000000000f2' };
const ALICE_CHAT = 'a:alice-fuzz-chat';
const BOB_CHAT = 'a:bob-fuzz-chat';

/** mulberry32: small, seeded, the same sequence on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

function nested(rng: Rng, depth: number): unknown {
  let value: unknown = rng.pick(['x', 1, null, true, []]);
  for (let i = 0; i < depth; i += 1) value = rng.chance(0.5) ? [value] : { [rng.pick(['a', 'value', '__proto__', 'constructor', 'type'])]: value };
  return value;
}

function hostileValue(rng: Rng): unknown {
  switch (rng.int(14)) {
    case 0:
      return null;
    case 1:
      return rng.int(2 ** 31) - 2 ** 30;
    case 2:
      return rng.chance(0.5) ? Number.MAX_SAFE_INTEGER : -0.5;
    case 3:
      return 'x'.repeat(rng.pick([0, 1, 255, 4096, 20_000]));
    case 4:
      return ['a', 1, { b: null }];
    case 5:
      return {};
    case 6:
      return { id: rng.pick([1, 'x', null, {}]) };
    case 7:
      return nested(rng, rng.pick([3, 40, 70, 400]));
    case 8:
      return '\u0000\ud800<script>alert(1)</script>{{x}}${x}%s';
    case 9:
      return rng.pick(['true', 'false', '[]', '{}', 'NaN', '2026-13-45T99:99:99Z']);
    case 10:
      return { __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } };
    case 11:
      return rng.pick(['http://127.0.0.1:9/', 'javascript:alert(1)', 'file:///etc/passwd', '//evil.example']);
    case 12:
      return [nested(rng, 5), nested(rng, 5)];
    default:
      return true;
  }
}

const COMMANDS = ['help', 'status', 'connect', 'disconnect', 'show PHX-1', 'find login', 'subscribe', 'subscriptions', 'ABCD-EFGH', 'connect 2345-6789', '<at>Jira</at> help', ''];
const INVOKES = [
  'composeExtension/query',
  'composeExtension/queryLink',
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
  'composeExtension/selectItem',
  'adaptiveCard/action',
  'task/fetch',
  'task/submit',
  'signin/verifyState',
  'config/fetch',
  'actionableMessage/executeAction',
] as const;

function randomPath(rng: Rng, obj: Record<string, unknown>): string[] {
  const path: string[] = [];
  let current: unknown = obj;
  for (let i = 0; i < 3 && current && typeof current === 'object'; i += 1) {
    const keys = Object.keys(current);
    if (keys.length === 0) break;
    const key = rng.pick(keys);
    path.push(key);
    if (rng.chance(0.5)) break;
    current = (current as Record<string, unknown>)[key];
  }
  return path;
}

function mutate(rng: Rng, activity: Record<string, unknown>): void {
  for (let n = rng.int(4); n > 0; n -= 1) {
    const path = randomPath(rng, activity);
    if (path.length === 0) continue;
    let parent: Record<string, unknown> = activity;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    if (!parent || typeof parent !== 'object') continue;
    if (rng.chance(0.3)) delete parent[path[path.length - 1]];
    else parent[path[path.length - 1]] = hostileValue(rng);
  }
}

/**
 * Issue #15 item 11: a bounded, seeded fuzz of every public entry point (activities, webhooks,
 * tab API) against the assembled service. Oracles: no answer is a 5xx, the service is alive and
 * still answers correctly at the end, and nothing only Alice may see (an issue summary her Jira
 * connection reads) ever reaches Bob, who is not connected, in a reply, a card or an answer.
 */
describe('security: bounded fuzz of activities, webhooks and tab calls', function () {
  this.timeout(120_000);
  let sim: JiraSim;
  let emu: EntraEmu;
  let connector: BotConnector;
  let testBot: TestBot;
  let marker: string;
  let bobToken: string;

  before(async () => {
    sim = await startJiraSim({ port: 0 });
    emu = await startEntraEmu();
    connector = await startBotConnector();
    testBot = await startTestBot({
      JIRA_BASE_URL: sim.url,
      JIRA_WEBHOOK_SECRET: SECRET,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
    });
    await testBot.bot.connections.connectWithApiToken(
      { tenantId: TENANT, userId: ALICE_TEAMS.aadObjectId },
      { siteUrl: sim.url, email: 'alice@example.com', apiToken: 'sim-token-alice' },
    );
    marker = `FUZZ-SECRET-${SEED.toString(36)}`;
    const edit = await fetch(`${sim.url}/rest/api/3/issue/PHX-1`, {
      method: 'PUT',
      headers: { authorization: sim.basicAuth('alice@example.com'), 'content-type': 'application/json' },
      body: JSON.stringify({ fields: { summary: `Only Alice may read ${marker}` } }),
    });
    assert.ok(edit.status < 300, `could not set the marker: ${edit.status}`);
    bobToken = await emu.issueToken({ tenantId: TENANT, aadObjectId: BOB_TEAMS.aadObjectId, name: BOB_TEAMS.name, audience: AUDIENCE });
  });
  after(async () => {
    await testBot?.close();
    await connector?.close();
    await emu?.close();
    await sim?.close();
  });

  /**
   * 599 stands for a connection that failed (reset, or no answer in 20 s) instead of answering. A
   * reset is tried once more: a kept-alive connection the server closed as idle just as the
   * request went out resets too, and says nothing about the request; one that resets again does.
   */
  async function post(path: string, body: string, headers: Record<string, string>, retry = true): Promise<{ status: number; text: string }> {
    try {
      const response = await fetch(`${testBot.bot.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(20_000),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (retry && /ECONNRESET|other side closed/.test(String(((error as Error).cause as Error)?.message))) return post(path, body, headers, false);
      return { status: 599, text: `${(error as Error).message}: ${String(((error as Error).cause as Error)?.message ?? '')} (body of ${body.length} bytes)` };
    }
  }

  it('the oracle can see the secret: Alice, who is connected, does read it', async () => {
    const activity = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: ALICE_CHAT, from: ALICE_TEAMS, text: 'show PHX-1' });
    assert.equal((await post('/api/messages', JSON.stringify(activity), {})).status, 200);
    const [reply] = await connector.waitForActivities(1, { conversationId: ALICE_CHAT });
    assert.ok(JSON.stringify(reply.body).includes(marker), 'Alice sees her issue, so a leak to Bob would be visible');
  });

  it(`answers ${ACTIVITIES} hostile activities, ${WEBHOOKS} webhooks and ${TAB_CALLS} tab calls without a 5xx or a leak`, async () => {
    const rng = prng(SEED);
    const link = `${sim.url}/browse/PHX-1`;
    const jobs: Array<() => Promise<{ what: string; status: number; text: string }>> = [];

    for (let i = 0; i < ACTIVITIES; i += 1) {
      const scope = { serviceUrl: connector.url, conversationType: rng.pick(['personal', 'personal', 'channel', 'groupChat'] as const), from: BOB_TEAMS, tenantId: TENANT };
      const personal = scope.conversationType === 'personal' ? { conversationId: BOB_CHAT } : {};
      let activity: Record<string, unknown>;
      if (rng.chance(0.5)) {
        activity = messageActivity({ ...scope, ...personal, text: rng.chance(0.2) ? link : rng.pick(COMMANDS) });
      } else {
        const name = rng.pick(INVOKES);
        const value = rng.pick([
          { url: link },
          {
            commandId: rng.pick(['searchIssues', 'createIssue', 'addComment', 'x']),
            parameters: [{ name: 'searchQuery', value: rng.pick(['PHX-1', 'login', marker.slice(0, 5)]) }],
            queryOptions: { skip: 0, count: 25 },
          },
          { action: { type: 'Action.Execute', verb: rng.pick(['jira.issue.assignToMe', 'jira.connect.apiToken', 'x']), data: { key: 'PHX-1', site: sim.url } }, trigger: 'manual' },
          { state: rng.pick(['ABCD-EFGH', '']) },
          hostileValue(rng),
        ]);
        // Built as a query, then named: the emulation's builders know only the names it plays.
        activity = { ...(invokeActivity('composeExtension/query', value, { ...scope, ...personal }) as unknown as Record<string, unknown>), name };
      }
      // A copy: the builders share the sender objects, which later activities must keep intact.
      activity = structuredClone(activity);
      if (rng.chance(0.7)) mutate(rng, activity);
      const body = rng.chance(0.03) ? JSON.stringify(activity).slice(0, rng.int(200)) : JSON.stringify(activity);
      jobs.push(async () => ({ what: `activity #${i}`, ...(await post('/api/messages', body, {})) }));
    }

    const siteId = siteIdOf(sim.url);
    for (let i = 0; i < WEBHOOKS; i += 1) {
      const route = rng.pick([ADMIN_WEBHOOK_PATH, DYNAMIC_WEBHOOK_PATH]).replace(
        ':siteId',
        rng.chance(0.8)
          ? siteId
          : String(hostileValue(rng))
              .slice(0, 40)
              .replace(/[^a-z0-9]/gi, 'x') || 'x',
      );
      const payload = rng.pick([
        {
          webhookEvent: 'jira:issue_updated',
          timestamp: Date.now(),
          issue: { id: '10001', key: 'PHX-1', self: `${sim.url}/rest/api/3/issue/10001`, fields: { summary: 'x', description: nested(rng, rng.pick([10, 500, 4000])) } },
        },
        { webhookEvent: 'comment_created', comment: { body: nested(rng, rng.pick([10, 4000])) }, issue: hostileValue(rng) },
        hostileValue(rng),
      ]);
      const body = rng.chance(0.05) ? '{"webhookEvent":' : JSON.stringify(payload);
      const signed: Record<string, string> = rng.chance(0.5)
        ? { 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` }
        : { 'x-hub-signature': 'sha256=00', authorization: 'JWT abc.def.ghi' };
      jobs.push(async () => ({ what: `webhook #${i} ${route}`, ...(await post(route, body, signed)) }));
    }

    for (let i = 0; i < TAB_CALLS; i += 1) {
      const method = rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
      const path = rng.pick([
        '/backlogs',
        '/backlogs/x',
        '/backlogs/x/issues',
        '/backlogs/x/issues/PHX-1',
        '/backlogs/x/events',
        '/backlogs/x/rank',
        '/backlogs/x/options',
        '/backlogs/%00',
        '/backlogs/../../healthz',
      ]);
      const token = rng.pick([bobToken, bobToken, 'x.y.z', '']);
      const body = ['GET', 'DELETE'].includes(method)
        ? undefined
        : rng.chance(0.1)
          ? '{'
          : JSON.stringify(rng.chance(0.5) ? { name: 'n', jql: rng.pick(['project = PHX', `text ~ "${marker}"`, 'x'.repeat(5000)]) } : hostileValue(rng));
      jobs.push(async () => {
        const response = await fetch(`${testBot.bot.url}/api/tab${path}`, {
          method,
          headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(10_000),
        });
        // An event stream that opens stays open: read its first bytes only.
        const text = response.headers.get('content-type')?.includes('event-stream') ? '' : await response.text();
        if (!text) await response.body?.cancel().catch(() => undefined);
        return { what: `tab #${i} ${method} ${path}`, status: response.status, text };
      });
    }

    // Shuffle (seeded) so the three kinds interleave, then run with bounded concurrency.
    for (let i = jobs.length - 1; i > 0; i -= 1) {
      const j = rng.int(i + 1);
      [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
    }
    const results: Array<{ what: string; status: number; text: string }> = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < jobs.length) {
          const index = next++;
          results.push(await jobs[index]().catch((error: Error) => ({ what: `job ${index}`, status: 599, text: error.message })));
        }
      }),
    );

    const serverErrors = results.filter((r) => r.status >= 500);
    assert.deepEqual(
      serverErrors.slice(0, 5).map((r) => `${r.what}: ${r.status} ${r.text.slice(0, 200)}`),
      [],
      `${serverErrors.length} answers were 5xx`,
    );
    const leakedInAnswers = results.filter((r) => r.text.includes(marker));
    assert.deepEqual(
      leakedInAnswers.map((r) => r.what),
      [],
      'no answer to Bob carries what only Alice may see',
    );
    const sentToOthers = connector.activities().filter((call) => call.conversationId !== ALICE_CHAT);
    const leakedInReplies = sentToOthers.filter((call) => JSON.stringify(call.body).includes(marker));
    assert.equal(leakedInReplies.length, 0, "no reply, card or update outside Alice's chat carries her secret");

    // Still the same process, alive and answering correctly.
    assert.equal((await fetch(`${testBot.bot.url}/healthz`)).status, 200);
    const help = messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: 'a:after-fuzz', from: BOB_TEAMS, text: 'help' });
    const after = await post('/api/messages', JSON.stringify(help), {});
    assert.equal(after.status, 200, after.text);
    await connector.waitForActivities(1, { conversationId: 'a:after-fuzz' });
  });
});
