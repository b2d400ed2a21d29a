import type { Server } from 'restify';
import type { Config } from '../../src/config';
import { createHttpServer } from '../../src/http/create-http-server';
import type { Logger } from '../../src/log/create-logger';
import { createTeamsApp, type TeamsApp } from '../../src/teams/create-teams-app';
import type { TeamsFeature } from '../../src/teams/teams-feature';

export interface ServedFeatures {
  /** Base URL; activities go to `${url}/api/messages`. */
  url: string;
  teams: TeamsApp;
  server: Server;
  close(): Promise<void>;
}

/**
 * The real HTTP layer and teams-ai app with only the features under test, on a free loopback
 * port: for feature tests that inject fakes. startTestBot serves the whole composition.
 */
export async function serveFeatures(deps: { config: Config; logger: Logger; features: TeamsFeature[] }): Promise<ServedFeatures> {
  const teams = createTeamsApp(deps);
  const server = createHttpServer({
    logger: deps.logger,
    processActivity: (req, res) => teams.adapter.process(req, res, (context) => teams.app.run(context).then(() => undefined)),
    readiness: async () => ({ ready: true, checks: {} }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    teams,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
