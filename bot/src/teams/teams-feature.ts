import type { Application } from '@microsoft/teams-ai/lib/Application';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState';
import type { CommandHelp } from '../cards/help-card';

/**
 * A capability of the bot (help, connections, unfurls, alerts...). Each feature registers its
 * own routes and declares its commands, so the help card and the app manifest list exactly
 * what is registered.
 */
export interface TeamsFeature {
  name: string;
  commands?: readonly CommandHelp[];
  register(app: Application<TurnState>): void;
}
