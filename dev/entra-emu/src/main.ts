/** `npm run start:entra`: the Entra emulation on ENTRA_EMU_PORT (default 3981). */
import { startEntraEmu } from './start-entra-emu';

async function main(): Promise<void> {
  const raw = process.env.ENTRA_EMU_PORT?.trim() || '3981';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('ENTRA_EMU_PORT must be an integer from 0 to 65535');
  const emu = await startEntraEmu({ port, host: process.env.ENTRA_EMU_HOST?.trim() || '127.0.0.1', publicUrl: process.env.ENTRA_EMU_PUBLIC_URL?.trim() || undefined });
  process.stdout.write(
    [
      `Entra emulation listening on ${emu.url}`,
      `  TAB_SSO_JWKS_URL=${emu.jwksUrl}`,
      `  TAB_SSO_ISSUER=${emu.issuerTemplate}`,
      `  tokens: POST ${emu.url}/_emu/token {"tenantId","aadObjectId","name","audience"}`,
      '',
    ].join('\n'),
  );
  const stop = () => {
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`entra-emu failed to start: ${err.message}\n`);
  process.exitCode = 1;
});
