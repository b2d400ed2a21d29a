import assert from 'node:assert/strict';
import { startJiraSim, type JiraSim, type RealismInput } from '../../../dev/jira-sim/src';
import {
  CHANNEL_ID,
  DEFAULT_TENANT_ID,
  TEAM_ID,
  TEAMS_USER,
  conversationUpdateBotAdded,
  invokeActivity,
  messageActivity,
  postActivity,
  startBotConnector,
  teamsMember,
  type Account,
  type BotConnector,
} from '../../../dev/bot-connector-emu/src';
import { SubscriptionVerb } from '../../src/cards/subscription-verb';
import { connectionOwner } from '../../src/connections/connection';
import { ADMIN_WEBHOOK_PATH } from '../../src/http/webhook-routes';
import { siteIdOf } from '../../src/wiring/site-directory';
import { cardText } from '../support/validate-card';
import { connectAs, oauthAppEnv, type ConnectionKind } from '../support/connect-as';
import { startTestBot, type TestBot } from '../support/start-test-bot';

export const BOB: Account = { id: '29:bob-builder', name: 'Bob Builder', aadObjectId: '0b0b0b0b-0000-4000-8000-000000000002' };
export const BOB_CHAT = 'a:1bob-personal-chat';
const SECRET = 'alert-stack-secret';

/** Someone in the stack: their Teams account, the demo Jira user they connect as, their place in the team. */
export interface StackPerson {
  account: Account;
  jira: string;
  team: 'owner' | 'member' | 'guest' | 'none';
}

export interface AlertStack {
  sim: JiraSim;
  /** Where the simulator's admin webhook posts, and the secret it signs with. */
  webhookUrl: string;
  secret: string;
  connector: BotConnector;
  testBot: TestBot;
  /** A Jira REST call as a demo user (alice, bob...), asserted to succeed. */
  jira(user: string, method: string, path: string, body?: unknown): Promise<any>;
  /** Saves a subscription for the channel through the subscribe dialog, as Alice. */
  subscribe(form: { projects: string; events: string; jql?: string }): Promise<void>;
  /** Text of every card posted to the channel so far. */
  channelCards(): string[];
  /** Text of every card posted to Bob's personal chat so far. */
  bobCards(): string[];
  close(): Promise<void>;
}

/**
 * The service as `npm start` builds it, between the Jira simulator (admin webhook signed with a
 * shared secret, for `events`) and the Bot Connector emulation: Alice and Bob connected with
 * API tokens (or OAuth, `via`), the bot in the Phoenix team's channel, Bob in a personal chat with it.
 */
export async function startAlertStack(options: {
  realism: RealismInput;
  events: string[];
  env?: Record<string, string>;
  via?: ConnectionKind;
  /** Default: Alice (TEAMS_USER, jira alice) owns the team, Bob (jira bob) is a member. */
  people?: StackPerson[];
}): Promise<AlertStack> {
  const via = options.via ?? 'token';
  const people: StackPerson[] = options.people ?? [
    { account: TEAMS_USER, jira: 'alice', team: 'owner' },
    { account: BOB, jira: 'bob', team: 'member' },
  ];
  const inTeam = people.filter((p) => p.team !== 'none');
  const sim = await startJiraSim({ port: 0, webhookRetry: { attempts: 1, baseDelayMs: 10 }, realism: options.realism });
  const connector = await startBotConnector();
  connector.seedTeam({
    id: TEAM_ID,
    name: 'Phoenix',
    members: inTeam.map(({ account, team }) => {
      const [givenName, ...rest] = (account.name ?? 'Some One').split(' ');
      return teamsMember({ id: account.id, aadObjectId: account.aadObjectId, givenName, surname: rest.join(' '), ...(team === 'guest' ? { userRole: 'guest' } : {}) });
    }),
    owners: inTeam.filter((p) => p.team === 'owner').map((p) => p.account.aadObjectId!),
  });
  const testBot = await startTestBot({
    GRAPH_BASE_URL: connector.graphUrl,
    JIRA_BASE_URL: sim.url,
    JIRA_WEBHOOK_SECRET: SECRET,
    ALERT_POLL_INTERVAL_SECONDS: '0',
    ...(via === 'oauth' ? oauthAppEnv(sim) : {}),
    ...options.env,
  });
  const webhookUrl = `${testBot.bot.url}${ADMIN_WEBHOOK_PATH.replace(':siteId', siteIdOf(sim.url))}`;
  const basic = (user: string) => `Basic ${Buffer.from(`${user}@example.com:sim-token-${user}`).toString('base64')}`;
  const jira = async (user: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: basic(user), 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return response.status === 204 ? undefined : response.json();
  };
  const scope = { serviceUrl: connector.url, conversationType: 'channel' as const, conversationId: CHANNEL_ID, teamId: TEAM_ID, from: TEAMS_USER };
  const cardsIn = (conversationId: string) =>
    connector
      .activities(conversationId)
      .flatMap((call) => (call.body?.attachments ?? []) as Array<{ content: unknown }>)
      .map((a) => cardText(a.content as never));

  await postActivity(testBot.messagesUrl, conversationUpdateBotAdded(scope));
  const connect = (who: Account, user: string) =>
    connectAs({ connections: testBot.bot.connections, sim, owner: connectionOwner(DEFAULT_TENANT_ID, who), email: `${user}@example.com`, via });
  for (const person of people) await connect(person.account, person.jira);
  await postActivity(testBot.messagesUrl, messageActivity({ serviceUrl: connector.url, conversationType: 'personal', conversationId: BOB_CHAT, from: BOB, text: 'status' }));
  await jira('alice', 'POST', '/rest/webhooks/1.0/webhook', {
    name: 'Jira for Teams',
    url: webhookUrl,
    events: options.events,
    filters: { 'issue-related-events-section': '' },
    secret: SECRET,
  });

  return {
    sim,
    webhookUrl,
    secret: SECRET,
    connector,
    testBot,
    jira,
    async subscribe({ projects, events, jql }) {
      const data = { verb: SubscriptionVerb.Save, projects, events, statuses: '', fields: '', twoWayThreads: 'false', site: sim.url, ...(jql ? { jql } : {}) };
      const saved = await postActivity(testBot.messagesUrl, invokeActivity('composeExtension/fetchTask', {}, { ...scope, overrides: { name: 'task/submit', value: { data } } }));
      assert.equal(saved.status, 200);
      assert.equal(saved.body, undefined, `the subscription is saved: ${JSON.stringify(saved.body)}`);
    },
    channelCards: () => cardsIn(CHANNEL_ID),
    bobCards: () => cardsIn(BOB_CHAT),
    async close() {
      await testBot.close();
      await connector.close();
      await sim.close();
    },
  };
}

/** Moves an issue, as Alice, through the first transition into a status of `category` (new, indeterminate, done). */
export async function transitionTo(stack: AlertStack, key: string, category: string): Promise<void> {
  const { transitions } = (await stack.jira('alice', 'GET', `/rest/api/3/issue/${key}/transitions`)) as {
    transitions: Array<{ id: string; to: { statusCategory: { key: string } } }>;
  };
  const transition = transitions.find((t) => t.to.statusCategory.key === category);
  assert.ok(transition, `${key} has a transition into ${category}`);
  await stack.jira('alice', 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: transition.id } });
}

/** Keys of issues a JQL finds, as Alice. */
export async function issueKeys(stack: AlertStack, jql: string): Promise<string[]> {
  const found = (await stack.jira('alice', 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 50 })) as { issues: Array<{ key: string }> };
  return found.issues.map((issue) => issue.key);
}
