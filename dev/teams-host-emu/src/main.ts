/** `npm run start:teams-host`: the Teams host emulation on TEAMS_HOST_EMU_PORT (default 3982). */
import { startTeamsHostEmu } from './start-teams-host-emu';

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.TEAMS_HOST_EMU_PORT?.trim() || '3982');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('TEAMS_HOST_EMU_PORT must be an integer from 0 to 65535');
  const entraUrl = env.ENTRA_EMU_URL?.trim() || 'http://127.0.0.1:3981';
  const audience = env.TAB_SSO_AUDIENCE?.split(',')[0]?.trim();
  if (!audience) throw new Error('TAB_SSO_AUDIENCE must name the audience the bot accepts');
  const emu = await startTeamsHostEmu({
    port,
    entraUrl,
    audience,
    defaultTabUrl: env.TEAMS_HOST_TAB_URL?.trim() || undefined,
    defaultUser: {
      name: env.TEAMS_HOST_USER_NAME?.trim() || 'Alex Wilber',
      aadObjectId: env.TEAMS_HOST_USER_OID?.trim() || '00000000-0000-0000-0000-0000000000020',
      tenantId: env.TEAMS_HOST_TENANT_ID?.trim() || '00000000-0000-0000-0000-0000000000001',
    },
  });
  process.stdout.write(`Teams host emulation listening on ${emu.url}\n`);
  const stop = () => {
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`teams-host-emu failed to start: ${error.message}\n`);
  process.exitCode = 1;
});
