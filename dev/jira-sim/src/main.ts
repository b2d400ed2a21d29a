/** `npm run start:sim`: the simulator on JIRA_SIM_PORT (default 3990); settings from read-sim-env.ts. */
import { readSimEnv } from './read-sim-env';
import { startJiraSim } from './start-jira-sim';

async function main(): Promise<void> {
  const options = readSimEnv(process.env);
  const sim = await startJiraSim(options);
  const users = sim.state.site.users;
  const width = Math.max(...users.map((u) => u.email.length));
  const lines = [
    `Jira simulator listening on ${sim.url}`,
    `  site REST (Basic auth):   ${sim.url}/rest/api/3/...`,
    `  OAuth gateway (Bearer):   ${sim.gatewayUrl}/rest/api/3/...`,
    `  cloudId:                  ${sim.cloudId}`,
    `  test controls:            ${sim.url}/_sim/...`,
    `  rate limit:               ${sim.rateLimit.settings.mode}, ${sim.rateLimit.settings.budget} points per ${sim.rateLimit.settings.windowSeconds} s`,
    ...(options.oauthClients ?? []).map((c) => `  OAuth client:             ${c.clientId} -> ${c.redirectUris.join(', ')}`),
    '',
    '  Demo users (email / API token / accountId):',
    ...users.map((u) => `    ${u.email.padEnd(width)}  ${u.apiToken.padEnd(22)}  ${u.accountId}  ${u.displayName}${u.siteAdmin ? ' (site admin)' : ''}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  // exitCode, not exit(): let stderr drain when it is a pipe (tsx, npm).
  process.stderr.write(`jira-sim failed to start: ${err.message}\n`);
  process.exitCode = 1;
});
