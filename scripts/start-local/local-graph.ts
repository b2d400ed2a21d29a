import { startBotConnector, teamsMember, type BotConnector, type TeamsMember } from '../../dev/bot-connector-emu/src';

/** The parts of the Playground's `/_internal/v1/config` that say who uses it and who is in its team and chat. */
export interface PlaygroundPeople {
  tenantId: string;
  currentUser: PlaygroundUser;
  users?: PlaygroundUser[];
  groupChats?: Array<{ id: string; name?: string }>;
  teams?: Array<{ id: string; name: string; aadGroupId: string }>;
}

type PlaygroundUser = Pick<TeamsMember, 'id' | 'name' | 'aadObjectId' | 'givenName' | 'surname' | 'email'>;

/** Reads who the Playground's user is, and its team and group chat, once for all of npm start. */
export async function readPlaygroundPeople(playgroundUrl: string): Promise<PlaygroundPeople> {
  const response = await fetch(`${playgroundUrl.replace(/\/$/, '')}/_internal/v1/config`);
  if (!response.ok) throw new Error(`the Playground's config answered HTTP ${response.status}`);
  const body = (await response.json()) as { config?: PlaygroundPeople } & PlaygroundPeople;
  return body.config ?? body;
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
export function seedLocalGraph(graph: BotConnector, config: PlaygroundPeople): { teams: number; chats: number } {
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
