import { startBotConnector, type BotConnector } from '../../../dev/bot-connector-emu/src';
import { startEntraEmu, type EntraEmu } from '../../../dev/entra-emu/src';
import { startJiraSim, type JiraSim, type JiraSimOptions } from '../../../dev/jira-sim/src';
import type { Env } from '../../src/config';
import { seatMeeting, seatMore } from '../meetings/seat-meeting';
import { tabClient } from '../meetings/tab-client';
import { connectAs, oauthAppEnv, type ConnectionKind } from './connect-as';
import { startTestBot, type TestBot } from './start-test-bot';

/** The audience of the tab's Teams SSO tokens in these tests. */
export const TAB_AUDIENCE = 'api://localhost/00000000-0000-0000-0000-0000000000b0';

/** A Teams user in a meeting, connected to Jira as one of the simulator's demo users. */
export interface Attendee {
  tenantId: string;
  aadObjectId: string;
  name: string;
  /** The demo user they act as in Jira: 'alice', 'bob', 'victor'... */
  jira: string;
  /** How this one connects to Jira, when not as the stack's `via` says. */
  via?: ConnectionKind;
}

export interface MeetingStack {
  sim: JiraSim;
  emu: EntraEmu;
  connector: BotConnector;
  testBot: TestBot;
  /** The bot's tab API, called as the tab calls it. */
  api: ReturnType<typeof tabClient>;
  /** The Teams SSO token of anyone seated or joined. */
  tokenOf(person: Attendee): string;
  /** Someone joins a meeting already seated: on its roster, connected to Jira, with a token (returned). */
  join(conversationId: string, person: Attendee): Promise<string>;
  close(): Promise<void>;
}

export interface MeetingStackOptions {
  /** Conversation id -> the people Teams seats in it when the app is added. */
  meetings: Record<string, readonly Attendee[]>;
  /**
   * How everyone connects to Jira (default: API tokens). An attendee's own `via` overrides it, so
   * one service can hold both kinds; the bot gets the OAuth app whenever anyone uses OAuth.
   */
  via?: ConnectionKind;
  env?: Env;
  /** The simulator's options (its port is always chosen by the system). */
  sim?: JiraSimOptions;
}

/**
 * The grooming tab's backend as `npm start` builds it: the Jira simulator, the Entra emulation
 * issuing the tab's SSO tokens, the Bot Connector emulation naming each meeting's members, the app
 * added to each meeting, and every attendee connected to Jira and holding a token.
 */
export async function startMeetingStack(options: MeetingStackOptions): Promise<MeetingStack> {
  const via = options.via ?? 'token';
  const anyOAuth = via === 'oauth' || Object.values(options.meetings).some((people) => people.some((p) => p.via === 'oauth'));
  const sim = await startJiraSim({ ...options.sim, port: 0 });
  const emu = await startEntraEmu();
  const connector = await startBotConnector();
  let testBot: TestBot | undefined;
  const close = async () => {
    await testBot?.close();
    await connector.close();
    await emu.close();
    await sim.close();
  };
  const tokens = new Map<string, string>();
  const admit = async (bot: TestBot, conversationId: string, person: Attendee) => {
    await connectAs({
      connections: bot.bot.connections,
      sim,
      owner: { tenantId: person.tenantId, userId: person.aadObjectId },
      email: `${person.jira}@example.com`,
      via: person.via ?? via,
      conversationId,
    });
    const token = await emu.issueToken({ tenantId: person.tenantId, aadObjectId: person.aadObjectId, name: person.name, audience: TAB_AUDIENCE });
    tokens.set(person.aadObjectId, token);
    return token;
  };
  try {
    testBot = await startTestBot({
      JIRA_BASE_URL: sim.url,
      ALERT_POLL_INTERVAL_SECONDS: '0',
      TAB_SSO_AUDIENCE: TAB_AUDIENCE,
      TAB_SSO_JWKS_URL: emu.jwksUrl,
      TAB_SSO_ISSUER: emu.issuerTemplate,
      ...(anyOAuth ? oauthAppEnv(sim) : {}),
      ...options.env,
    });
    for (const [conversationId, people] of Object.entries(options.meetings)) {
      await seatMeeting(testBot.messagesUrl, connector, conversationId, people);
      for (const person of people) await admit(testBot, conversationId, person);
    }
  } catch (err) {
    // Whatever started is stopped, so a failed start leaves no server behind for the next test.
    await close().catch(() => undefined);
    throw err;
  }
  const started = testBot;
  return {
    sim,
    emu,
    connector,
    testBot: started,
    api: tabClient(started.bot.url),
    tokenOf: (person) => tokens.get(person.aadObjectId) ?? '',
    async join(conversationId, person) {
      seatMore(connector, conversationId, [person]);
      return admit(started, conversationId, person);
    },
    close,
  };
}
