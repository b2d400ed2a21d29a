import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { alertPreferencesCard, AlertPreferencesVerb } from '../../cards/alert-preferences-card';
import type { CommandHelp } from '../../cards/help-card';
import { personalUserKey, type PersonalPreferenceRepository, type PersonalPreferences } from '../../alerts/personal-preferences';
import type { Logger } from '../../log/create-logger';
import { commandPattern } from '../command-text';
import { tenantIdOf } from '../conversation-scope';
import type { TeamsFeature } from '../teams-feature';

/** Exported so test/app-package holds appPackage/manifest.json to it. */
export const notificationsCommand: CommandHelp = {
  name: 'notifications',
  description: 'Choose which personal Jira notifications I send you here.',
  scopes: ['personal'],
};

/** Same key as the connection owner of the Jira connection (Entra object id, else Teams id). */
const userKeyOf = (context: TurnContext) => personalUserKey({ tenantId: tenantIdOf(context.activity), userId: context.activity.from.aadObjectId || context.activity.from.id });

/** `notifications` in the personal chat, and saving its switches. */
export function notificationsFeature(deps: { preferences: PersonalPreferenceRepository; logger: Logger }): TeamsFeature {
  return {
    name: 'notifications',
    commands: [notificationsCommand],
    register(app) {
      app.message(commandPattern('notifications'), async (context) => {
        if (context.activity.conversation?.conversationType !== 'personal') {
          await context.sendActivity('Personal notifications are set in your chat with me. For this conversation, type **subscribe**.');
          return;
        }
        const card = alertPreferencesCard(await deps.preferences.get(userKeyOf(context)));
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      });

      app.adaptiveCards.actionExecute<Record<string, unknown>>(AlertPreferencesVerb.Save, async (context, _state, data) => {
        const on = (name: keyof PersonalPreferences) => data?.[name] === true || data?.[name] === 'true';
        const preferences: PersonalPreferences = { assigned: on('assigned'), mentioned: on('mentioned'), watching: on('watching'), reported: on('reported') };
        await deps.preferences.save(userKeyOf(context), preferences);
        deps.logger.info({ conversationId: context.activity.conversation?.id }, 'personal notification preferences saved');
        return alertPreferencesCard(preferences, { text: 'Saved.', tone: 'good' });
      });
    },
  };
}
