import { CardFactory, MessageFactory } from 'botbuilder';
import { helpCard, type CommandHelp } from '../../cards/help-card';
import { commandPattern } from '../command-text';
import { conversationScope } from '../conversation-scope';
import type { TeamsFeature } from '../teams-feature';

export const helpCommand: CommandHelp = {
  name: 'help',
  description: 'Show the commands I understand here.',
  scopes: ['personal', 'team', 'groupChat'],
};

/** `help` answers with a card of the commands every registered feature declares for this scope. */
export function helpFeature(deps: { botName: string; commands: () => readonly CommandHelp[] }): TeamsFeature {
  return {
    name: 'help',
    commands: [helpCommand],
    register(app) {
      app.message(commandPattern('help'), async (context) => {
        const card = helpCard({
          botName: deps.botName,
          scope: conversationScope(context.activity),
          commands: deps.commands(),
        });
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      });
    },
  };
}
