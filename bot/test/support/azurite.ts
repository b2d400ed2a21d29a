import { spawn } from 'node:child_process';
import { startOnFreePort } from './start-on-free-port';

export interface Azurite {
  /** Table endpoint of the emulator's well-known development account. */
  connectionString: string;
  stop(): Promise<void>;
}

// Azurite's published development account key: a constant of the emulator, not a secret.
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * Starts Azurite's table service from node_modules in a child process on a free loopback port,
 * in memory, with telemetry off, and resolves once it accepts connections.
 */
export async function startAzurite(): Promise<Azurite> {
  const main = require.resolve('azurite/dist/src/table/main.js');
  const server = await startOnFreePort({
    name: 'Azurite',
    tempPrefix: 'jira-teams-azurite-',
    readyText: 'successfully started',
    timeoutMs: 15_000,
    spawn: (port, dir) =>
      spawn(
        process.execPath,
        [main, '--tableHost', '127.0.0.1', '--tablePort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
        // Azurite rejects --location with in-memory persistence; a temp cwd keeps any stray file out of the repo.
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      ),
  });
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${server.port}/${DEV_ACCOUNT};`,
    stop: () => server.stop(),
  };
}
