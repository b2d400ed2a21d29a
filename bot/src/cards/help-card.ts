import { adaptiveCard, type AdaptiveCard, type CardElement } from './adaptive-card';

export type ConversationScope = 'personal' | 'team' | 'groupChat';

export interface CommandHelp {
  /** What the user types, e.g. `help`. */
  name: string;
  /** Optional argument hint shown after the name, e.g. `KEY`. */
  args?: string;
  description: string;
  scopes: readonly ConversationScope[];
}

export interface HelpCardInput {
  botName: string;
  scope: ConversationScope;
  commands: readonly CommandHelp[];
}

/** Lists the commands that work where the user asked, and how to address the bot there. */
export function helpCard({ botName, scope, commands }: HelpCardInput): AdaptiveCard {
  const available = commands.filter((c) => c.scopes.includes(scope));
  const howToAsk = scope === 'personal' ? 'Type a command below.' : `Mention me before a command, for example **@${botName} help**.`;

  const rows: CardElement[] = available.map((command) => ({
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        items: [
          {
            type: 'TextBlock',
            text: command.args ? `**${command.name}** ${command.args}` : `**${command.name}**`,
            wrap: false,
            fontType: 'Monospace',
          },
        ],
      },
      {
        type: 'Column',
        width: 'stretch',
        items: [{ type: 'TextBlock', text: command.description, wrap: true }],
      },
    ],
  }));

  return adaptiveCard([
    { type: 'TextBlock', text: `${botName}: commands`, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: howToAsk, wrap: true, isSubtle: true, spacing: 'None' },
    ...(rows.length > 0 ? rows : [{ type: 'TextBlock', text: 'No commands are available in this kind of conversation yet.', wrap: true }]),
  ]);
}
