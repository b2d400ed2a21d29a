import type { TurnContext } from 'botbuilder';
import type { CommandHelp } from '../../cards/help-card';
import type { WebhookSecrets } from '../../alerts/webhook-secrets';
import { connectionOwner } from '../../connections/connection';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { describeFailure } from '../../connections/describe-failure';
import { hasPermission } from '../../jira/operations/permissions';
import { siteBase } from '../../jira/site-url';
import type { Logger } from '../../log/create-logger';
import { commandPattern } from '../command-text';
import { tenantIdOf } from '../conversation-scope';
import type { TeamsFeature } from '../teams-feature';

/** Exported so test/app-package holds appPackage/manifest.json to it. */
export const webhookCommand: CommandHelp = {
  name: 'webhook',
  description: 'Jira admins: the URL and secret to register my alerts webhook in Jira.',
  scopes: ['personal'],
};

export interface WebhookSetupFeatureDeps {
  connections: Pick<ConnectionServices, 'jiraFor'>;
  secrets: Pick<WebhookSecrets, 'secretFor'>;
  /** The admin webhook's callback URL for a site (PUBLIC_URL + its route). */
  webhookUrl(siteUrl: string): string;
  logger: Logger;
}

/**
 * `webhook` in the personal chat: the admin webhook's URL and the site's own secret, for the
 * admin to paste into Jira's WebHooks page. Only someone whose own connection holds "Administer
 * Jira" on the site sees it (they could create that webhook anyway), and only in their personal
 * chat, never in a channel. The secret is generated the first time it is asked for.
 */
export function webhookSetupFeature(deps: WebhookSetupFeatureDeps): TeamsFeature {
  const answer = async (context: TurnContext): Promise<string> => {
    if (context.activity.conversation?.conversationType !== 'personal') {
      return 'The webhook secret is shown only in your personal chat with me: send **webhook** there.';
    }
    const owner = connectionOwner(tenantIdOf(context.activity), context.activity.from);
    let site: string;
    try {
      const { connection, jira } = await deps.connections.jiraFor(owner);
      site = siteBase(connection.siteUrl);
      if (!(await hasPermission(jira, 'ADMINISTER'))) {
        return `Only Jira administrators of ${site} register webhooks (the "Administer Jira" global permission). Ask one to send me **webhook**.`;
      }
    } catch (error) {
      const failure = describeFailure(error, 'chat');
      if (!failure) throw error;
      return failure.message;
    }
    const secret = await deps.secrets.secretFor(site);
    const url = deps.webhookUrl(site);
    // Ids only: the secret and the URL stay out of the logs.
    deps.logger.info({ tenantId: owner.tenantId }, 'webhook setup shown to a Jira admin');
    return [
      `To send alerts from ${site} as they happen, in Jira open **Settings > System > WebHooks > Create a WebHook** and enter:`,
      '',
      `- **URL**: \`${url}\``,
      `- **Secret**: \`${secret}\``,
      '- **Events**: Issue created, updated, deleted; Comment created, updated.',
      '',
      `This secret is for ${site} only; keep it private. Without a webhook I check the site for changes every few minutes.`,
    ].join('\n');
  };

  return {
    name: 'webhook-setup',
    commands: [webhookCommand],
    register(app) {
      app.message(commandPattern('webhook'), async (context) => {
        await context.sendActivity(await answer(context));
      });
    },
  };
}
