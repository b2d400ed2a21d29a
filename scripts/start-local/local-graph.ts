import { startBotConnector, teamsMember, type BotConnector, type TeamsMember } from '../../dev/bot-connector-emu/src';

/** The parts of the Playground's `/_internal/v1/config` that say who is in its team and chat. */
interface PlaygroundPeople {
  tenantId: string;
  currentUser: PlaygroundUser;
  users?: PlaygroundUser[];
  groupChats?: Array<{ id: string; name?: string }>;
  teams?: Array<{ id: string; name: string; aadGroupId: string }>;
}

interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  givenName?: string;
  surname?: string;
  email?: string;
}

/**
 * Microsoft Graph for `npm start`: the alert permission check asks Graph who owns a team or chat,
 * and the Playground has no Graph. The Bot Connector emulation's Graph routes stand in, on loopback.
 */
export function startLocalGraph(): Promise<BotConnector> {
  return startBotConnector({ host: '127.0.0.1', port: 0 });
}

/**
 * Mirrors the Playground's own team and group chat into the local Graph: the Playground's user
 * (whoever tries the app) owns its team, the other made-up users are plain members, and everyone is
 * in the group chat, as people who create a team are its owners in Teams.
 */
export async function seedLocalGraph(graph: BotConnector, playgroundUrl: string): Promise<{ teams: number; chats: number }> {
  const response = await fetch(`${playgroundUrl.replace(/\/$/, '')}/_internal/v1/config`);
  if (!response.ok) throw new Error(`the Playground's config answered HTTP ${response.status}`);
  const body = (await response.json()) as { config?: PlaygroundPeople } & PlaygroundPeople;
  const config = body.config ?? body;
  const people = [config.currentUser, ...(config.users ?? []).filter((u) => u.id !== config.currentUser.id)];
  const members: TeamsMember[] = people.map((user) =>
    teamsMember({
      id: user.id,
      name: user.name,
      aadObjectId: user.aadObjectId,
      givenName: user.givenName ?? user.name.split(' ')[0],
      surname: user.surname ?? user.name.split(' ').slice(1).join(' '),
      ...(user.email ? { email: user.email, userPrincipalName: user.email } : {}),
      tenantId: config.tenantId,
    }),
  );
  for (const team of config.teams ?? []) {
    graph.seedTeam({ id: team.id, name: team.name, aadGroupId: team.aadGroupId, members, owners: [config.currentUser.aadObjectId] });
  }
  for (const chat of config.groupChats ?? []) {
    graph.seedChat({ id: chat.id, chatType: 'group', ...(chat.name ? { topic: chat.name } : {}), tenantId: config.tenantId, members });
  }
  return { teams: config.teams?.length ?? 0, chats: config.groupChats?.length ?? 0 };
}
