/** `npm run start:sim`: the simulator on JIRA_SIM_PORT (default 3990) with the demo seed. */
import { startJiraSim } from './start-jira-sim';

function readPort(env: NodeJS.ProcessEnv): number {
  const raw = env.JIRA_SIM_PORT ?? '3990';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`JIRA_SIM_PORT must be a port number (0-65535), got '${raw}'`);
  }
  return port;
}

async function main(): Promise<void> {
  const sim = await startJiraSim({
    port: readPort(process.env),
    publicUrl: process.env.JIRA_SIM_PUBLIC_URL,
    seed: process.env.JIRA_SIM_SEED === 'empty' ? 'empty' : 'demo',
  });
  const users = sim.state.site.users;
  const width = Math.max(...users.map((u) => u.email.length));
  const lines = [
    `Jira simulator listening on ${sim.url}`,
    `  site REST (Basic auth):   ${sim.url}/rest/api/3/...`,
    `  OAuth gateway (Bearer):   ${sim.gatewayUrl}/rest/api/3/...`,
    `  cloudId:                  ${sim.cloudId}`,
    `  test controls:            ${sim.url}/_sim/...`,
    '',
    '  Demo users (email / API token / accountId):',
    ...users.map((u) => `    ${u.email.padEnd(width)}  ${u.apiToken.padEnd(22)}  ${u.accountId}  ${u.displayName}${u.siteAdmin ? ' (site admin)' : ''}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`jira-sim failed to start: ${err.message}\n`);
  process.exit(1);
});
