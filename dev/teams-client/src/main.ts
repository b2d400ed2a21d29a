/** `npm run start:teams-client`: the local Teams client on TEAMS_CLIENT_PORT (default 3983), for the bot at BOT_URL. */
import { startTeamsClient } from './start-teams-client';

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.TEAMS_CLIENT_PORT?.trim() || '3983');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('TEAMS_CLIENT_PORT must be an integer from 0 to 65535');
  const botUrl = env.BOT_URL?.trim() || 'http://localhost:3978';
  const extraLinkDomains = (env.TEAMS_CLIENT_LINK_DOMAINS ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  // Fixed, so the bot can be given the emulation's Graph before the client starts (npm start does).
  const connectorPort = Number(env.TEAMS_CLIENT_CONNECTOR_PORT?.trim() || '3984');
  if (!Number.isInteger(connectorPort) || connectorPort < 0 || connectorPort > 65535) throw new Error('TEAMS_CLIENT_CONNECTOR_PORT must be an integer from 0 to 65535');
  const client = await startTeamsClient({
    botUrl,
    port,
    connectorPort,
    host: env.TEAMS_CLIENT_HOST?.trim() || '127.0.0.1',
    extraLinkDomains,
    teamsHostUrl: env.TEAMS_HOST_EMU_URL?.trim() || undefined,
  });
  process.stdout.write(`Local Teams client listening on ${client.url} (Bot Connector emulation and Graph at ${client.connector.url})\n`);
  const stop = () => {
    client.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`teams-client failed to start: ${error.message}\n`);
  process.exitCode = 1;
});
