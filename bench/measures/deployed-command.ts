import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/**
 * The service's start command as deployed: the Dockerfile's CMD (exec form, run from WORKDIR
 * /app, the repository's root). App Service's appCommandLine in infra/azure.bicep must be the
 * same words (test/infra/dockerfile.test.ts checks it), and the memory measure starts the built
 * service with it, so the flags that size V8's heap are in every place the service really runs.
 */
export function deployedCommand(dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')): string[] {
  const cmd = dockerfile
    .split('\n')
    .filter((line) => line.startsWith('CMD '))
    .at(-1);
  const argv: unknown = cmd === undefined ? undefined : JSON.parse(cmd.slice('CMD '.length));
  if (!Array.isArray(argv) || argv[0] !== 'node' || argv.at(-1) !== 'bot/dist/index.js' || !argv.every((a): a is string => typeof a === 'string')) {
    throw new Error(`The Dockerfile's last CMD is not ["node", ..., "bot/dist/index.js"]: ${cmd}`);
  }
  return argv;
}
