import { adaptiveCard, type AdaptiveCard } from './adaptive-card';
import type { ConversationScope } from './help-card';

export interface WelcomeCardInput {
  botName: string;
  scope: ConversationScope;
}

/** Posted once when the app is installed in a conversation. */
export function welcomeCard({ botName, scope }: WelcomeCardInput): AdaptiveCard {
  const intro =
    scope === 'personal'
      ? 'I bring your Jira work into Teams: issue cards, alerts and quick actions, all as you.'
      : 'I bring Jira into this conversation: issue cards, alerts and quick actions. Everyone acts with their own Jira account.';
  const next = scope === 'personal' ? 'Type **help** to see what I can do.' : `Mention me with **@${botName} help** to see what I can do.`;
  return adaptiveCard(
    [
      { type: 'TextBlock', text: `Welcome to ${botName}`, weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: intro, wrap: true },
      { type: 'TextBlock', text: next, wrap: true, spacing: 'Small' },
    ],
    [{ type: 'Action.Submit', title: 'Show commands', data: { msteams: { type: 'imBack', value: 'help' } } }],
  );
}
