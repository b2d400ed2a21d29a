import type { JiraClient } from '../jira/create-jira-client';
import { listFields } from '../jira/operations/fields';
import { siteKey } from '../jira/site-url';
import { findSiteFields, type SiteFields } from './find-site-fields';

export type SiteFieldsOf = (jira: JiraClient) => Promise<SiteFields>;

/**
 * A site's estimate and rank field ids, asked once per site and reused for `ttlMs`: every list,
 * fetch and edit needs them, and they change only when an admin edits the site's fields. A
 * failed lookup is forgotten at once so the next call asks again.
 */
export function siteFieldsCache(ttlMs: number): SiteFieldsOf {
  const cache = new Map<string, { at: number; fields: Promise<SiteFields> }>();
  return (jira) => {
    const key = siteKey(jira.siteUrl);
    const cached = cache.get(key);
    if (cached && Date.now() - cached.at < ttlMs) return cached.fields;
    const fields = listFields(jira).then((all) => findSiteFields(all));
    cache.set(key, { at: Date.now(), fields });
    fields.catch(() => cache.delete(key));
    return fields;
  };
}
