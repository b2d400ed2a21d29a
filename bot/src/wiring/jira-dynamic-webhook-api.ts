import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { deleteDynamicWebhooks, listDynamicWebhooks, refreshDynamicWebhooks, registerDynamicWebhook } from '../jira/operations/webhooks';
import type { DynamicWebhookApi, WebhookActor } from '../alerts/webhook-registrar';
import type { SiteDirectory } from './site-directory';

/**
 * `/rest/api/3/webhook` as a site's subscription owner (an OAuth connection with
 * manage:jira-webhook), in the background: the newest one, passing over the accounts the registrar
 * asks to avoid. Jira lists and changes only the calling user's webhooks, so every call of one
 * reconcile names the same accounts to avoid.
 */
export function jiraDynamicWebhookApi(sites: Pick<SiteDirectory, 'backgroundJira'>): DynamicWebhookApi {
  const clientOf = (site: string, actor?: WebhookActor) => sites.backgroundJira(site, { oauthOnly: true, ...(actor ? { avoid: actor.avoid } : {}) });
  const jiraOf = async (site: string, actor?: WebhookActor) => {
    const client = await clientOf(site, actor);
    if (!client || client.kind !== 'oauth')
      throw new JiraError(JiraErrorCode.Unavailable, {
        detail: actor?.avoid.length ? 'No other subscription owner of this site has an OAuth connection.' : 'No subscription owner of this site has an OAuth connection.',
      });
    return client.jira;
  };
  return {
    list: async (site, actor) => listDynamicWebhooks(await jiraOf(site, actor)),
    register: async (site, url, webhook, actor) => registerDynamicWebhook(await jiraOf(site, actor), url, webhook),
    refresh: async (site, ids, actor) => refreshDynamicWebhooks(await jiraOf(site, actor), ids),
    remove: async (site, ids, actor) => deleteDynamicWebhooks(await jiraOf(site, actor), ids),
    actingAs: async (site, actor) => (await clientOf(site, actor))?.accountId,
  };
}
