export interface LocalRunOptions {
  simPort: number;
  botPort: number;
  playgroundPort: number;
  /** dev/entra-emu: the tab's SSO tokens and their signing keys. */
  entraPort: number;
  /** dev/teams-host-emu: the Teams page that frames the tab. */
  teamsHostPort: number;
  /** dev/teams-client: the local Teams client's page. */
  teamsClientPort: number;
  /** dev/teams-client's Bot Connector and Graph emulation, where the bot sends replies and asks Graph. */
  teamsClientConnectorPort: number;
  /** `--playground`: the Microsoft 365 Agents Playground instead of the local Teams client. */
  playground: boolean;
}

/** One line per problem, naming the variable, as the bot's own config does. */
export class LocalRunOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/**
 * Ports of the local run, from the environment. Each is a fixed port (no 0): the Playground and the
 * bot must know each other's address before they start.
 */
export function readLocalRunOptions(env: NodeJS.ProcessEnv = process.env, args: readonly string[] = []): LocalRunOptions {
  const problems: string[] = [];
  for (const arg of args) if (arg !== '--playground') problems.push(`unknown option '${arg}' (the only one is --playground)`);
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      problems.push(`${name}: expected a port number (1-65535), got '${raw}'`);
    }
    return value;
  };
  const options = {
    simPort: port('JIRA_SIM_PORT', 3990),
    botPort: port('PORT', 3978),
    playgroundPort: port('PLAYGROUND_PORT', 56150),
    entraPort: port('ENTRA_EMU_PORT', 3981),
    teamsHostPort: port('TEAMS_HOST_EMU_PORT', 3982),
    teamsClientPort: port('TEAMS_CLIENT_PORT', 3983),
    teamsClientConnectorPort: port('TEAMS_CLIENT_CONNECTOR_PORT', 3984),
  };
  const ports = Object.values(options);
  if (problems.length === 0 && new Set(ports).size !== ports.length) {
    problems.push(
      `JIRA_SIM_PORT, PORT, PLAYGROUND_PORT, ENTRA_EMU_PORT, TEAMS_HOST_EMU_PORT, TEAMS_CLIENT_PORT and TEAMS_CLIENT_CONNECTOR_PORT must differ, got ${ports.join(', ')}`,
    );
  }
  if (problems.length) throw new LocalRunOptionsError(problems);
  return { ...options, playground: args.includes('--playground') };
}
