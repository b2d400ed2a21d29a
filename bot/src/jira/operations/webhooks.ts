import type { JiraClient } from '../create-jira-client';
import { JiraError, JiraErrorCode } from '../jira-error';

export interface DynamicWebhookInfo {
  id: number;
  jqlFilter: string;
  events: string[];
  expirationDate?: string;
}

/** Jira answers dates as epoch milliseconds or ISO text depending on the endpoint and version. */
const isoDate = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === 'string' && value !== '') return Number.isFinite(Date.parse(value)) ? new Date(Date.parse(value)).toISOString() : value;
  return undefined;
};

/** The app's dynamic webhooks on the site (OAuth apps only), every page. */
export async function listDynamicWebhooks(jira: JiraClient): Promise<DynamicWebhookInfo[]> {
  const found: DynamicWebhookInfo[] = [];
  for (let startAt = 0; ;) {
    const page = await jira.v3.webhooks.getDynamicWebhooksForApp({ startAt, maxResults: 100 });
    for (const w of page.values ?? []) {
      const expirationDate = isoDate(w.expirationDate);
      found.push({ id: w.id, jqlFilter: w.jqlFilter, events: w.events, ...(expirationDate ? { expirationDate } : {}) });
    }
    startAt += page.values?.length ?? 0;
    if (page.isLast !== false || (page.values?.length ?? 0) === 0) break;
  }
  return found;
}

/** Registers one webhook; its id, or a BadRequest with Jira's reasons. */
export async function registerDynamicWebhook(jira: JiraClient, url: string, webhook: { jqlFilter: string; events: string[] }): Promise<number> {
  const result = await jira.v3.webhooks.registerDynamicWebhooks({ url, webhooks: [webhook as never] });
  const [first] = result.webhookRegistrationResult ?? [];
  if (first?.createdWebhookId === undefined) {
    throw new JiraError(JiraErrorCode.BadRequest, { detail: (first?.errors ?? ['Jira registered no webhook.']).join(' ') });
  }
  return first.createdWebhookId;
}

/** Extends the webhooks' 30-day life; the new expiry, when Jira says. */
export async function refreshDynamicWebhooks(jira: JiraClient, ids: readonly number[]): Promise<string | undefined> {
  const result = await jira.v3.webhooks.refreshWebhooks({ webhookIds: [...ids] });
  return isoDate(result.expirationDate);
}

export async function deleteDynamicWebhooks(jira: JiraClient, ids: readonly number[]): Promise<void> {
  await jira.v3.webhooks.deleteWebhookById({ webhookIds: [...ids] });
}
