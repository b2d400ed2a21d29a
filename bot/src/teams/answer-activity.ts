import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Request, Response } from 'restify';
import type { Logger } from '../log/create-logger';
import { captureBotbuilderConsole } from './capture-botbuilder-console';
import type { TeamsApp } from './create-teams-app';
import { serializedBody } from './serialized-json';

const NOT_IMPLEMENTED = 501;

type ProcessActivity = (authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) => Promise<InvokeResponse | undefined>;

/**
 * Runs a checked activity (`req.body`, see http/read-activity.ts) through the adapter and the app
 * and answers. It calls the adapter's processActivity rather than process(): process() writes a
 * refused token's whole error and stack to stderr with console.error, past the redacting logger.
 * Here a refused token is a 401 logged by name, anything botbuilder prints goes to the logger, and
 * anything else is thrown for the route to log.
 */
export function answerActivity(teams: TeamsApp, logger: Logger): (req: Request, res: Response) => Promise<void> {
  const processActivity = (teams.adapter as unknown as { processActivity: ProcessActivity }).processActivity.bind(teams.adapter);
  return async (req, res) => {
    res.header('User-Agent', 'teamsai-js');
    let answer: InvokeResponse | undefined;
    try {
      answer = await captureBotbuilderConsole(logger, () =>
        processActivity(req.header('authorization') ?? '', req.body as Activity, async (context) => {
          await teams.app.run(context);
        }),
      );
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      logger.info({ reason: error.message.split(':')[0].slice(0, 80) }, 'activity token refused');
      res.send(401, { error: 'The request carried no valid Bot Framework token.' });
      return;
    }
    if (answer?.status === NOT_IMPLEMENTED) {
      // botbuilder's answer to an invoke no handler claims (an unknown name, a command id or verb
      // this app never offered): the request is the sender's mistake, not a server fault.
      res.send(400, { error: 'This app does not handle that invoke.' });
      return;
    }
    if (answer?.body === undefined) {
      res.status(answer?.status ?? 200);
      res.end();
      return;
    }
    // An answer serialized when it was made (a cached unfurl card) is sent as it is.
    const json = serializedBody(answer.body);
    if (json !== undefined) {
      res.sendRaw(answer.status ?? 200, json, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(json)) });
      return;
    }
    res.send(answer.status ?? 200, answer.body);
  };
}
