import { conversationUpdateBotAdded, postActivity, teamsMember, type BotConnector } from '../../../dev/bot-connector-emu/src';

/** A Teams user of the tab tests: the Entra object id their SSO token carries, in their tenant. */
export interface Seated {
  tenantId: string;
  aadObjectId: string;
  name: string;
}

/**
 * What Teams does when the app is added to a meeting (or group chat) with these people in it: the
 * bot hears the conversationUpdate (its reference and service URL are stored), and the Bot
 * Connector emulation's roster names the members. Backlogs created with this conversation id are
 * then open to exactly these people.
 */
export async function seatMeeting(messagesUrl: string, connector: BotConnector, conversationId: string, people: readonly Seated[]): Promise<void> {
  const [first] = people;
  seatMore(connector, conversationId, people);
  const answer = await postActivity(
    messagesUrl,
    conversationUpdateBotAdded({
      serviceUrl: connector.url,
      conversationType: 'groupChat',
      conversationId,
      tenantId: first.tenantId,
      from: { id: `29:${first.aadObjectId}`, name: first.name, aadObjectId: first.aadObjectId },
    }),
  );
  if (answer.status >= 300) throw new Error(`the bot refused the meeting's conversationUpdate: ${answer.status}`);
}

/** People who join a meeting already seated: the roster names them from now on. */
export function seatMore(connector: BotConnector, conversationId: string, people: readonly Seated[]): void {
  connector.seedMembers(
    conversationId,
    people.map((p) => {
      const [givenName, ...rest] = p.name.split(' ');
      return teamsMember({ aadObjectId: p.aadObjectId, tenantId: p.tenantId, givenName, surname: rest.join(' ') || 'User' });
    }),
  );
}
