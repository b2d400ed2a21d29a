import { JiraError, JiraErrorCode } from '../jira/jira-error';
import type { DynamicWebhook, DynamicWebhookApi } from '../alerts/webhook-registrar';
import type { SiteDirectory } from './site-directory';

/** Jira answers dates as epoch milliseconds or ISO text depending on the endpoint and version. */
const isoDate = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === 'string' && value !== '') return Number.isFinite(Date.parse(value)) ? new Date(Date.parse(value)).toISOString() : value;
  return undefined;
};

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
    async list(site) {
      const jira = await jiraOf(site);
      const found: DynamicWebhook[] = [];
      for (let startAt = 0; ; ) {
        const page = await jira.v3.webhooks.getDynamicWebhooksForApp({ startAt, maxResults: 100 });
        for (const w of page.values ?? []) {
          const expirationDate = isoDate(w.expirationDate);
          found.push({ id: w.id, jqlFilter: w.jqlFilter, events: w.events, ...(expirationDate ? { expirationDate } : {}) });
        }
        startAt += page.values?.length ?? 0;
        if (page.isLast !== false || (page.values?.length ?? 0) === 0) break;
      }
      return found;
    },
    async register(site, url, webhook) {
      const jira = await jiraOf(site);
      const result = await jira.v3.webhooks.registerDynamicWebhooks({ url, webhooks: [webhook] });
      const [first] = result.webhookRegistrationResult ?? [];
      if (first?.createdWebhookId === undefined) {
        throw new JiraError(JiraErrorCode.BadRequest, { detail: (first?.errors ?? ['Jira registered no webhook.']).join(' ') });
      }
      return first.createdWebhookId;
    },
    async refresh(site, ids) {
      const jira = await jiraOf(site);
      const result = await jira.v3.webhooks.refreshWebhooks({ webhookIds: [...ids] });
      return isoDate(result.expirationDate);
    },
    async remove(site, ids) {
      const jira = await jiraOf(site);
      await jira.v3.webhooks.deleteWebhookById({ webhookIds: [...ids] });
    },
  };
}
