import { JiraError, JiraErrorCode } from '../jira/jira-error';
import { deleteDynamicWebhooks, listDynamicWebhooks, refreshDynamicWebhooks, registerDynamicWebhook } from '../jira/operations/webhooks';
import type { DynamicWebhookApi } from '../alerts/webhook-registrar';
import type { SiteDirectory } from './site-directory';

/**
 * `/rest/api/3/webhook` as a site's subscription owner (an OAuth connection with
 * manage:jira-webhook), in the background.
 */
export function jiraDynamicWebhookApi(sites: Pick<SiteDirectory, 'backgroundJira'>): DynamicWebhookApi {
  const jiraOf = async (site: string) => {
    const client = await sites.backgroundJira(site);
    if (!client || client.kind !== 'oauth') throw new JiraError(JiraErrorCode.Unavailable, { detail: 'No subscription owner of this site has an OAuth connection.' });
    return client.jira;
  };
  return {
    list: async (site) => listDynamicWebhooks(await jiraOf(site)),
    register: async (site, url, webhook) => registerDynamicWebhook(await jiraOf(site), url, webhook),
    refresh: async (site, ids) => refreshDynamicWebhooks(await jiraOf(site), ids),
    remove: async (site, ids) => deleteDynamicWebhooks(await jiraOf(site), ids),
    actingAs: async (site) => (await sites.backgroundJira(site))?.accountId,
  };
}
