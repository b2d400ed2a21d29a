import type { TurnContext } from 'botbuilder';
import { connectionOwner } from '../../connections/connection';
import type { ConnectionServices } from '../../connections/create-connection-services';
import { tenantIdOf } from '../conversation-scope';

/**
 * The sites the subscribe dialog offers: the one the person is connected to (alerts are checked
 * against their own Jira permissions there), else the configured site so the form still opens
 * and saving explains what is missing.
 */
export function dialogSites(deps: { connections: Pick<ConnectionServices, 'repository'>; configuredSite?: string }) {
  return async (context: TurnContext): Promise<Array<{ url: string; name: string }>> => {
    const connection = await deps.connections.repository.get(connectionOwner(tenantIdOf(context.activity), context.activity.from));
    if (connection) return [{ url: connection.siteUrl, name: connection.kind === 'oauth' && connection.siteName ? connection.siteName : new URL(connection.siteUrl).host }];
    return deps.configuredSite ? [{ url: deps.configuredSite, name: new URL(deps.configuredSite).host }] : [];
  };
}
