import path from 'node:path';

/**
 * How the bench starts its own TypeScript processes (scenario servers, measures, the Bot Connector
 * emulation's process): through tsx, with Node's source maps off again after it (source-maps-off.ts).
 */
export const benchNodeArgs: readonly string[] = ['--import', 'tsx', '--import', path.join(__dirname, 'source-maps-off.ts')];
