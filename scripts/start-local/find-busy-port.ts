import { createConnection, createServer } from 'node:net';

/** True when something already listens on the port, on any local interface. */
export async function isPortBusy(port: number): Promise<boolean> {
  return (await answersOnLoopback(port)) || !(await canListen(port));
}

function answersOnLoopback(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    // No host: the wildcard address, which clashes with a listener on any interface.
    server.listen(port, () => server.close(() => resolve(true)));
  });
}
