import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { benchNodeArgs } from '../node-args';
import type { ConnectorReply, ConnectorRequest } from './connector-process';

/**
 * The Bot Connector emulation in its own process (connector-process.ts), asked one question at a time:
 * Teams is remote in production, so the measured service must not share its event loop.
 */
export async function startConnectorProcess(): Promise<{ url: string; ask(request: ConnectorRequest): Promise<ConnectorReply>; close(): void }> {
  const child: ChildProcess = fork(path.join(__dirname, 'connector-process.ts'), [], { execArgv: [...benchNodeArgs], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<ConnectorReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`The Bot Connector emulation exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (reply: ConnectorReply) => {
        child.off('exit', onExit);
        resolve(reply);
      });
    });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('The Bot Connector emulation did not start');
  return {
    url: ready.url,
    ask(request) {
      const reply = next();
      child.send(request);
      return reply;
    },
    close: () => child.disconnect(),
  };
}
