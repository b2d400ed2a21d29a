import type { Scenario } from '../scenario';

/** The ceiling: restify with a body parser answering a static JSON, nothing else. */
export const bareRestify: Scenario = {
  name: 'bare restify POST',
  async start() {
    const { default: restify } = await import('restify');
    const server = restify.createServer();
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    server.post('/api/messages', async (_req, res) => {
      res.send(200, { ok: true });
    });
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address();
    return {
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
        }),
    };
  },
  request: { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' },
};
