import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { CommandHelp } from '../../cards/help-card';
import { meetingRecapCard } from '../../cards/meeting-recap-card';
import type { Logger } from '../../log/create-logger';
import type { MeetingChangeLog } from '../../meetings/recap/meeting-change-log';
import { commandPattern } from '../command-text';
import type { TeamsFeature } from '../teams-feature';

export const recapCommand: CommandHelp = {
  name: 'recap',
  description: 'List what was changed in Jira here from the grooming tab today (in a meeting chat: since the last meeting ended).',
  scopes: ['team', 'groupChat'],
};

/**
 * The meeting recap: when Teams says the meeting ended (meetingEnd), a card of what its panels
 * changed in Jira goes to the meeting chat, if anything changed; `recap` asks for it any time.
 * The changes are those made through the tab of a backlog bound to this chat.
 */
export function recapFeature(deps: { changes: MeetingChangeLog; logger: Logger }): TeamsFeature {
  const post = async (context: TurnContext, ended: boolean) => {
    const conversationId = context.activity.conversation?.id?.split(';')[0];
    if (!conversationId) return;
    const changes = await deps.changes.recap(conversationId, { end: ended });
    if (ended && changes.length === 0) return;
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(meetingRecapCard({ changes, ended }))));
    deps.logger.info({ conversationId, changes: changes.length, ended }, 'meeting recap posted');
  };
  return {
    name: 'recap',
    commands: [recapCommand],
    register(app) {
      app.meetings.end(async (context) => post(context, true));
      app.message(commandPattern('recap'), async (context) => post(context, false));
    },
  };
}
