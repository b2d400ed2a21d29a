/**
 * `npm start`: the Jira simulator, the bot in local mode, the local Teams client (dev/teams-client; with
 * `-- --playground`, the Microsoft 365 Agents Playground instead), and for the grooming tab the Entra and
 * Teams host emulations, offline, as child processes with prefixed output. Ctrl-C or SIGTERM stops all;
 * so does any one of them dying.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isPortBusy } from './start-local/find-busy-port';
import { formatLogLine } from './start-local/format-log-line';
import { demoPeople } from '../dev/teams-client/src/demo-people';
import { readPlaygroundPeople, seedLocalGraph, startLocalGraph, type PlaygroundPeople } from './start-local/local-graph';
import { LocalRunOptionsError, readLocalRunOptions, type LocalRunOptions } from './start-local/read-local-run-options';
import { PREFIX_WIDTH, startPart, type Exit, type Part } from './start-local/start-part';
import { waitForHttp } from './start-local/wait-for-http';
import { tabBuildIsStale } from './start-local/tab-build-is-stale';

const ROOT = resolve(__dirname, '..');
const STOP_GRACE_MS = 5_000;
// restify pulls in spdy, which touches process.binding('http_parser'); the warning is noise here.
const NODE_FLAGS = ['--disable-warning=DEP0111'];

/** Any audience will do locally, as long as the bot and the token issuer agree on it. */
const LOCAL_TAB_AUDIENCE = 'api://localhost/jira-teams-local';
/** The Playground's default user (its built-in config), if its config cannot be read. */
const PLAYGROUND_DEFAULT_USER = { name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020', tenantId: '00000000-0000-0000-0000-0000000000001' };

const parts: Part[] = [];
let stopping = false;

function say(message: string): void {
  process.stdout.write(`${'[start-local]'.padEnd(PREFIX_WIDTH)}${message}\n`);
}

async function main(): Promise<void> {
  let options: LocalRunOptions;
  try {
    options = readLocalRunOptions(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof LocalRunOptionsError)) throw error;
    for (const problem of error.problems) say(`Configuration error: ${problem}`);
    process.exit(2);
  }

  const named = [
    { port: options.simPort, what: 'the Jira simulator', variable: 'JIRA_SIM_PORT' },
    { port: options.botPort, what: 'the bot', variable: 'PORT' },
    ...(options.playground
      ? [{ port: options.playgroundPort, what: 'the Agents Playground', variable: 'PLAYGROUND_PORT' }]
      : [
          { port: options.teamsClientPort, what: 'the local Teams client', variable: 'TEAMS_CLIENT_PORT' },
          { port: options.teamsClientConnectorPort, what: "the Teams client's Bot Connector emulation", variable: 'TEAMS_CLIENT_CONNECTOR_PORT' },
        ]),
    { port: options.entraPort, what: 'the Entra emulation', variable: 'ENTRA_EMU_PORT' },
    { port: options.teamsHostPort, what: 'the Teams host emulation', variable: 'TEAMS_HOST_EMU_PORT' },
  ];
  const busy = (await Promise.all(named.map(async (n) => ((await isPortBusy(n.port)) ? n : undefined)))).filter((n) => n !== undefined);
  if (busy.length) {
    for (const n of busy) say(`Port ${n.port} for ${n.what} is already in use. Stop what runs there (lsof -i :${n.port}) or set ${n.variable} to another port.`);
    process.exit(1);
  }
  if (process.env.BOT_ID) say('BOT_ID is set in your environment; the local run ignores it (the local Teams client and the Playground cannot sign requests).');
  if (tabBuildIsStale(join(ROOT, 'tab'))) {
    say('Building the grooming tab into tab/dist (its sources are newer than the last build, or there is none)...');
    const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:tab'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) {
      say('The tab did not build (see above); the bot still starts, and /tab/ says it is not built.');
    }
  }

  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));

  const botUrl = `http://localhost:${options.botPort}`;
  const simUrl = `http://localhost:${options.simPort}`;
  const playgroundUrl = `http://localhost:${options.playgroundPort}`;
  const clientUrl = `http://localhost:${options.teamsClientPort}`;
  const entraUrl = `http://127.0.0.1:${options.entraPort}`;
  const teamsHostUrl = `http://127.0.0.1:${options.teamsHostPort}`;

  // The simulator is also the Atlassian authorization server locally: it registers this OAuth
  // app so "Sign in with Atlassian" works offline, end to end.
  const localOAuthApp = { clientId: 'jira-teams-local', clientSecret: 'local-only-secret' };
  // Alerts arrive at once locally: the simulator's admin webhook signs with this secret.
  const localWebhookSecret = 'local-only-webhook-secret';
  const sim = launch({
    name: 'jira-sim',
    color: 35,
    command: process.execPath,
    args: [...NODE_FLAGS, '--import', 'tsx', 'dev/jira-sim/src/main.ts'],
    env: {
      ...process.env,
      JIRA_SIM_PORT: String(options.simPort),
      // Behave like real Jira Cloud (webhook shapes, rate limits, search lag, privacy) unless
      // JIRA_SIM_REALISM=default asks for the simulator's plain behaviour.
      JIRA_SIM_REALISM: process.env.JIRA_SIM_REALISM?.trim() || 'realistic',
      JIRA_SIM_OAUTH_CLIENT_ID: localOAuthApp.clientId,
      JIRA_SIM_OAUTH_CLIENT_SECRET: localOAuthApp.clientSecret,
      JIRA_SIM_OAUTH_REDIRECT_URIS: `${botUrl}/auth/atlassian/callback`,
    },
    cwd: ROOT,
  });
  // The Teams client's Bot Connector emulation also plays Graph (alert permissions ask it who owns a
  // team). The Playground has none: one runs in this process, seeded from the Playground's config.
  const graph = options.playground ? await startLocalGraph() : undefined;
  const botEnv: NodeJS.ProcessEnv = {
    ...process.env,
    GRAPH_BASE_URL: graph?.graphUrl ?? `http://127.0.0.1:${options.teamsClientConnectorPort}/graph/v1.0`,
    PORT: String(options.botPort),
    JIRA_BASE_URL: simUrl,
    // The site policy calls loopback addresses only for listed origins: the simulator, by either name.
    JIRA_ALLOWED_SITES: `${simUrl},http://127.0.0.1:${options.simPort}`,
    PUBLIC_URL: botUrl,
    ATLASSIAN_CLIENT_ID: localOAuthApp.clientId,
    ATLASSIAN_CLIENT_SECRET: localOAuthApp.clientSecret,
    ATLASSIAN_AUTH_URL: simUrl,
    ATLASSIAN_API_URL: simUrl,
    JIRA_WEBHOOK_SECRET: localWebhookSecret,
    // The tab's single sign-on, played by entra-emu: the bot trusts its keys and issuer.
    TAB_SSO_AUDIENCE: LOCAL_TAB_AUDIENCE,
    TAB_SSO_JWKS_URL: `${entraUrl}/_emu/keys`,
    TAB_SSO_ISSUER: `${entraUrl}/{tenantid}/v2.0`,
  };
  delete botEnv.BOT_ID;
  const bot = launch({
    name: 'bot',
    color: 36,
    command: process.execPath,
    args: [...NODE_FLAGS, '--import', 'tsx', 'bot/src/index.ts'],
    env: botEnv,
    cwd: ROOT,
    format: formatLogLine,
  });

  // Next to the bot's own data (gitignored `data/` by default), not in ./devTools where the Playground would put it.
  const dataDir = resolve(ROOT, process.env.DATA_DIR || 'data');
  mkdirSync(dataDir, { recursive: true });
  const playgroundLog = process.env.M365_AGENTS_PLAYGROUND_LOGFILE || join(dataDir, 'm365agentsplayground.log');
  const front = options.playground
    ? launch({
        name: 'playground',
        color: 33,
        command: process.execPath,
        args: [playgroundCli(), '--app-endpoint', `${botUrl}/api/messages`, '--channel-id', 'msteams', '--port', String(options.playgroundPort), '--disable-telemetry'],
        env: {
          ...process.env,
          // The Playground opens a browser unless told "none"; its CLI has no flag for this.
          TEAMSAPPTESTER_BROWSER: 'none',
          M365_AGENTS_PLAYGROUND_LOGFILE: playgroundLog,
          // --disable-telemetry leaves Application Insights' statsbeat on, which resolves
          // westus-0.in.applicationinsights.azure.com and probes the Azure metadata endpoint (seen with strace).
          APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        },
        cwd: ROOT,
      })
    : launch({
        name: 'teams-client',
        color: 33,
        command: process.execPath,
        args: [...NODE_FLAGS, '--import', 'tsx', 'dev/teams-client/src/main.ts'],
        env: {
          ...process.env,
          BOT_URL: botUrl,
          TEAMS_CLIENT_PORT: String(options.teamsClientPort),
          TEAMS_CLIENT_CONNECTOR_PORT: String(options.teamsClientConnectorPort),
          // The simulator stands in for the manifest's *.atlassian.net: links to it unfurl on paste.
          TEAMS_CLIENT_LINK_DOMAINS: `localhost:${options.simPort},127.0.0.1:${options.simPort}`,
          // The meeting chat's Open side panel button opens the grooming tab there.
          TEAMS_HOST_EMU_URL: `http://localhost:${options.teamsHostPort}`,
        },
        cwd: ROOT,
      });
  const frontUrl = options.playground ? `http://127.0.0.1:${options.playgroundPort}/` : `http://127.0.0.1:${options.teamsClientPort}/api/setup`;

  const entra = launch({
    name: 'entra-emu',
    color: 32,
    command: process.execPath,
    args: [...NODE_FLAGS, '--import', 'tsx', 'dev/entra-emu/src/main.ts'],
    env: { ...process.env, ENTRA_EMU_PORT: String(options.entraPort), ENTRA_EMU_HOST: '127.0.0.1' },
    cwd: ROOT,
  });
  const teamsHost = launch({
    name: 'teams-host',
    color: 34,
    command: process.execPath,
    args: [...NODE_FLAGS, '--import', 'tsx', 'dev/teams-host-emu/src/main.ts'],
    env: {
      ...process.env,
      TEAMS_HOST_EMU_PORT: String(options.teamsHostPort),
      ENTRA_EMU_URL: entraUrl,
      TAB_SSO_AUDIENCE: LOCAL_TAB_AUDIENCE,
      TEAMS_HOST_TAB_URL: `${botUrl}/tab/?view=config`,
    },
    cwd: ROOT,
  });

  // All start at once: the Playground and the Teams client reach the bot only when a page loads.
  await Promise.all([
    // Any HTTP answer will do: serverInfo wants credentials, but an answer means the simulator serves.
    waitForHttp(`http://127.0.0.1:${options.simPort}/rest/api/3/serverInfo`, { timeoutMs: 60_000, stillWorthWaiting: sim.running }),
    waitForHttp(`http://127.0.0.1:${options.botPort}/healthz`, { timeoutMs: 60_000, accept: (s) => s === 200, stillWorthWaiting: bot.running }),
    waitForHttp(frontUrl, { timeoutMs: 60_000, accept: (s) => s === 200, stillWorthWaiting: front.running }),
    waitForHttp(`${entraUrl}/_emu/keys`, { timeoutMs: 60_000, accept: (s) => s === 200, stillWorthWaiting: entra.running }),
    waitForHttp(`${teamsHostUrl}/`, { timeoutMs: 60_000, accept: (s) => s === 200, stillWorthWaiting: teamsHost.running }),
  ]);

  await registerLocalWebhook({ simPort: options.simPort, botUrl, simHost: new URL(simUrl).host, secret: localWebhookSecret });
  if (!graph) {
    // The Teams client's people are the simulator's demo users; the side panel opens as Alice.
    const alice = demoPeople()[0];
    const sidePanelUrl = sidePanelLink({ teamsHostUrl, botUrl, user: { name: alice.name, aadObjectId: alice.aadObjectId, tenantId: alice.tenantId! } });
    printSummary({ front: { kind: 'client', url: clientUrl }, botUrl, simUrl, sidePanelUrl, simLines: sim.lines });
    return;
  }
  let people: PlaygroundPeople | undefined;
  try {
    people = await readPlaygroundPeople(`http://127.0.0.1:${options.playgroundPort}`);
    const seeded = seedLocalGraph(graph, people);
    say(
      `Microsoft Graph emulated at ${graph.graphUrl} for alert permissions: the Playground's user owns its ${seeded.teams} team(s), and is in its ${seeded.chats} group chat(s).`,
    );
  } catch (error) {
    say(
      `Could not read the Playground's user, team and chat (${(error as Error).message}); subscribing to alerts will be refused, ` +
        "and the side panel link uses the Playground's default user.",
    );
  }
  const user = people ? { name: people.currentUser.name, aadObjectId: people.currentUser.aadObjectId, tenantId: people.tenantId } : PLAYGROUND_DEFAULT_USER;
  const sidePanelUrl = sidePanelLink({ teamsHostUrl, botUrl, user });
  printSummary({ front: { kind: 'playground', url: playgroundUrl, log: playgroundLog }, botUrl, simUrl, sidePanelUrl, simLines: sim.lines });
}

/**
 * The Teams host page as the chat's own user (same tenant and aadObjectId), so the Jira connection
 * made with `connect` in the Teams client or the Playground is the one the tab uses. It opens the
 * tab's configuration as Teams does when the app is added to a meeting, then the side panel.
 */
function sidePanelLink(options: { teamsHostUrl: string; botUrl: string; user: { name: string; aadObjectId: string; tenantId: string } }): string {
  const { user } = options;
  const query = new URLSearchParams({
    tab: `${options.botUrl}/tab/?view=config`,
    context: 'settings',
    then: 'sidePanel',
    name: user.name,
    oid: user.aadObjectId,
    tid: user.tenantId,
  });
  return `${options.teamsHostUrl.replace('127.0.0.1', 'localhost')}/?${query}`;
}

/**
 * What a Jira admin does once on a real site: an admin webhook pointing at the bot, with the shared
 * secret. The simulator's site admin (alice) registers it, so alert subscriptions fire at once
 * instead of waiting for the poller.
 */
async function registerLocalWebhook(options: { simPort: number; botUrl: string; simHost: string; secret: string }): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${options.simPort}/rest/webhooks/1.0/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from('alice@example.com:sim-token-alice').toString('base64')}`,
    },
    body: JSON.stringify({
      name: 'Jira for Teams (local)',
      url: `${options.botUrl}/api/jira/webhooks/admin/${encodeURIComponent(options.simHost)}`,
      events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated'],
      secret: options.secret,
    }),
  });
  if (!response.ok) say(`Could not register the simulator's webhook (HTTP ${response.status}); alerts fall back to polling.`);
}

function launch(spec: Parameters<typeof startPart>[0]): Part {
  const part = startPart(spec);
  parts.push(part);
  say(`started ${part.name} (pid ${part.child.pid})`);
  void part.exited.then((exit) => {
    if (stopping) return;
    say(`${part.name} exited (${describeExit(exit)}); stopping everything.`);
    stop(undefined, 1);
  });
  return part;
}

function playgroundCli(): string {
  return join(dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

type Front = { kind: 'client'; url: string } | { kind: 'playground'; url: string; log: string };

function printSummary(urls: { front: Front; botUrl: string; simUrl: string; sidePanelUrl: string; simLines: string[] }): void {
  const demo = demoUserLines(urls.simLines);
  const rule = '='.repeat(78);
  const { front } = urls;
  const frontLines =
    front.kind === 'client'
      ? [
          `  Teams client (chats, a team channel, cards, dialogs): ${front.url}/?as=alice`,
          `  The same as another person (a second window):        ${front.url}/?as=bob`,
          '  (npm start -- --playground runs the Microsoft 365 Agents Playground instead)',
        ]
      : [`  Agents Playground (chat with the bot):  ${front.url}`];
  const who = front.kind === 'client' ? 'Alice' : "the Playground's user";
  const where = front.kind === 'client' ? "Alice's chat with the bot" : 'the Playground';
  const lines = [
    '',
    rule,
    '  Jira for Microsoft Teams is running locally (offline, no Microsoft or Atlassian account needed)',
    '',
    ...frontLines,
    `  Bot endpoint:                           ${urls.botUrl}/api/messages`,
    `  Bot health:                             ${urls.botUrl}/healthz`,
    `  Jira simulator:                         ${urls.simUrl}`,
    '',
    `  Meeting side panel (the grooming tab in an emulated Teams meeting, as ${who};`,
    `  send \`connect\` in ${where} first, then add a backlog here):`,
    `    ${urls.sidePanelUrl}`,
    ...(demo.length ? ['', ...demo.map((line) => `  ${line.trim() === '' ? '' : line}`)] : []),
    '',
    ...(front.kind === 'playground' ? [`  Playground log: ${front.log}`] : []),
    '  Press Ctrl-C to stop everything.',
    rule,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The simulator prints its demo users under a "Demo users" heading; show them as printed. */
function demoUserLines(simLines: string[]): string[] {
  const start = simLines.findIndex((line) => line.includes('Demo users'));
  if (start < 0) return [];
  const block: string[] = [];
  for (const line of simLines.slice(start)) {
    if (block.length > 0 && line.trim() === '') break;
    block.push(line.replace(/^\s{2}/, ''));
  }
  return block;
}

function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function stop(signal: string | undefined, code: number): void {
  if (stopping) {
    if (signal) {
      say('Second signal: killing everything now.');
      for (const part of parts) if (part.running()) part.child.kill('SIGKILL');
    }
    return;
  }
  stopping = true;
  say(signal ? `${signal} received; stopping.` : 'stopping.');
  for (const part of parts) if (part.running()) part.child.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const part of parts) {
      if (!part.running()) continue;
      say(`${part.name} did not stop within ${STOP_GRACE_MS} ms; killing it.`);
      part.child.kill('SIGKILL');
    }
  }, STOP_GRACE_MS);
  void Promise.all(parts.map((part) => part.exited)).then((exits) => {
    clearTimeout(killer);
    say(`stopped: ${parts.map((part, i) => `${part.name} (${describeExit(exits[i])})`).join(', ')}`);
    process.exit(code);
  });
}

main().catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  stop(undefined, 1);
});
